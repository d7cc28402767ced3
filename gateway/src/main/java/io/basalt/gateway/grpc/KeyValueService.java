package io.basalt.gateway.grpc;

import io.basalt.gateway.CommandResolver;
import io.basalt.gateway.GatewayContext;
import io.basalt.gateway.resp.GrpcReplyConverter;
import io.basalt.gateway.session.ClientSession;
import io.basalt.proto.v1.DeleteRequest;
import io.basalt.proto.v1.DeleteResponse;
import io.basalt.proto.v1.ExecuteRequest;
import io.basalt.proto.v1.ExecuteResponse;
import io.basalt.proto.v1.GetRequest;
import io.basalt.proto.v1.GetResponse;
import io.basalt.proto.v1.KeyValueGrpc;
import io.basalt.proto.v1.Reply;
import io.basalt.proto.v1.SetRequest;
import io.basalt.proto.v1.SetResponse;
import io.basalt.router.command.CommandSpec;
import io.basalt.router.reply.RespWriter;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code basalt.v1.KeyValue}: the typed calls are spelled as the Redis commands they are (GET,
 * SET, DEL) and go through the same resolver and router as RESP, so both protocols see one
 * keyspace with one set of rules. A command's error (WRONGTYPE, ...) is a failed call with
 * status FAILED_PRECONDITION for the typed calls, and a Reply.error for Execute, where errors are
 * values as in RESP.
 */
public final class KeyValueService extends KeyValueGrpc.KeyValueImplBase {

    /**
     * Commands that set state of the connection they run on. gRPC calls share one session, so
     * one caller's HELLO or CLIENT SETNAME would change it for every other caller: refused.
     */
    private static final java.util.Set<String> CONNECTION_STATE =
        java.util.Set.of("hello", "quit", "reset", "select", "client|setname", "client|setinfo");

    private final GatewayContext context;
    private final CommandResolver resolver;
    /** gRPC calls have no connection; spread them over the routing client's pool. */
    private final AtomicInteger affinity = new AtomicInteger();
    /** Local commands (PING, TIME, ...) issued through Execute run against this session. */
    private final ClientSession grpcSession;

    public KeyValueService(GatewayContext context) {
        this.context = context;
        this.resolver = context.resolver();
        // not registered: CLIENT LIST shows connections, and gRPC calls are not one
        this.grpcSession = new ClientSession(0, null, null, System.currentTimeMillis());
        this.grpcSession.setName("grpc");
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> response) {
        run(List.of(bytes("GET"), request.getKey().toByteArray()), response, reply -> switch (reply.getKindCase()) {
            case BULK_STRING -> GetResponse.newBuilder().setFound(true).setValue(reply.getBulkString()).build();
            case NULL -> GetResponse.newBuilder().setFound(false).build();
            default -> throw unexpected(reply);
        });
    }

    @Override
    public void set(SetRequest request, StreamObserver<SetResponse> response) {
        if (request.getTtlMs() < 0) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("ttl_ms must be >= 0").asRuntimeException());
            return;
        }
        List<byte[]> argv = new ArrayList<>(List.of(bytes("SET"), request.getKey().toByteArray(), request.getValue().toByteArray()));
        if (request.getTtlMs() > 0) {
            argv.add(bytes("PX"));
            argv.add(bytes(Long.toString(request.getTtlMs())));
        }
        switch (request.getCondition()) {
            case IF_ABSENT -> argv.add(bytes("NX"));
            case IF_PRESENT -> argv.add(bytes("XX"));
            case ALWAYS -> { }
            default -> {
                response.onError(Status.INVALID_ARGUMENT.withDescription("unknown condition").asRuntimeException());
                return;
            }
        }
        run(argv, response, reply -> switch (reply.getKindCase()) {
            case SIMPLE_STRING -> SetResponse.newBuilder().setApplied(true).build();
            case NULL -> SetResponse.newBuilder().setApplied(false).build();
            default -> throw unexpected(reply);
        });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> response) {
        if (request.getKeysCount() == 0) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("at least one key is required").asRuntimeException());
            return;
        }
        List<byte[]> argv = new ArrayList<>();
        argv.add(bytes("DEL"));
        request.getKeysList().forEach(k -> argv.add(k.toByteArray()));
        run(argv, response, reply -> {
            if (reply.getKindCase() != Reply.KindCase.INTEGER) {
                throw unexpected(reply);
            }
            return DeleteResponse.newBuilder().setDeleted(reply.getInteger()).build();
        });
    }

    @Override
    public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> response) {
        if (request.getCommand().isEmpty()) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("command is required").asRuntimeException());
            return;
        }
        List<byte[]> argv = new ArrayList<>();
        argv.add(bytes(request.getCommand()));
        request.getArgsList().forEach(a -> argv.add(a.toByteArray()));
        dispatch(argv).whenComplete((encoded, error) -> {
            if (error != null) {
                response.onError(Status.INTERNAL.withDescription(error.toString()).asRuntimeException());
                return;
            }
            response.onNext(ExecuteResponse.newBuilder().setReply(GrpcReplyConverter.convert(encoded)).build());
            response.onCompleted();
        });
    }

    private interface ReplyMapper<T> {
        T map(Reply reply);
    }

    private <T> void run(List<byte[]> argv, StreamObserver<T> response, ReplyMapper<T> mapper) {
        dispatch(argv).whenComplete((encoded, error) -> {
            try {
                if (error != null) {
                    throw error;
                }
                Reply reply = GrpcReplyConverter.convert(encoded);
                if (reply.getKindCase() == Reply.KindCase.ERROR) {
                    response.onError(statusOf(reply.getError()).withDescription(reply.getError()).asRuntimeException());
                    return;
                }
                response.onNext(mapper.map(reply));
                response.onCompleted();
            } catch (Throwable t) {
                response.onError(Status.INTERNAL.withDescription(t.toString()).asRuntimeException());
            }
        });
    }

    private CompletableFuture<byte[]> dispatch(List<byte[]> argv) {
        CommandResolver.Resolved resolved = resolver.resolve(argv);
        if (!resolved.ok()) {
            return CompletableFuture.completedFuture(new RespWriter(96).error(resolved.error()).toByteArray());
        }
        CommandSpec spec = resolved.spec();
        if (CONNECTION_STATE.contains(spec.name())) {
            return CompletableFuture.completedFuture(new RespWriter(96)
                .error("ERR '" + spec.name() + "' changes a connection's state; gRPC calls have no connection").toByteArray());
        }
        if (spec.has(CommandSpec.Flag.BLOCKING)) {
            // A blocked call would need the RESP connection's follow-up (poll, timeout, lease).
            return CompletableFuture.completedFuture(new RespWriter(96)
                .error("ERR '" + spec.name() + "' blocks; blocking commands are not supported over gRPC, use RESP").toByteArray());
        }
        if (spec.site() == CommandSpec.Site.GATEWAY) {
            return context.localCommands().get(spec.name()).execute(grpcSession, argv);
        }
        return context.router().execute(spec, argv, affinity.getAndIncrement());
    }

    /** Routing failures are transient (UNAVAILABLE); command errors are the caller's (FAILED_PRECONDITION). */
    private static Status statusOf(String error) {
        if (error.startsWith("CLUSTERDOWN") || error.startsWith("TRYAGAIN")) {
            return Status.UNAVAILABLE;
        }
        if (error.startsWith("UNCERTAIN")) {
            return Status.DEADLINE_EXCEEDED;
        }
        return Status.FAILED_PRECONDITION;
    }

    private static IllegalStateException unexpected(Reply reply) {
        return new IllegalStateException("unexpected reply " + reply.getKindCase());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
