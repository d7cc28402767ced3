package io.basalt.gateway;

import io.basalt.gateway.cluster.ClusterSettings;
import io.basalt.gateway.connection.RespConnection;
import io.basalt.gateway.grpc.KeyValueService;
import io.basalt.gateway.session.ClientRegistry;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.command.CommandTable;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway: the client-facing servers (RESP on Netty, gRPC) over one routing client. Holds no
 * data, so gateways can be added and restarted freely.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    /** Basalt's version, as INFO basalt_version shows it. */
    public static final String VERSION = "0.1.0";

    private final GatewayConfig config;
    private final RoutingClient router;
    private final GatewayContext context;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel respChannel;
    private Server grpcServer;

    public GatewayServer(GatewayConfig config, RoutingClient router) {
        this(config, router, ClusterSettings.DISABLED);
    }

    /** A gateway that presents itself to cluster-aware clients as {@code cluster} says. */
    public GatewayServer(GatewayConfig config, RoutingClient router, ClusterSettings cluster) {
        this.config = config;
        this.router = router;
        ClientRegistry clients = new ClientRegistry(System::currentTimeMillis);
        this.context = new GatewayContext(CommandTable.standard(), router, clients, config);
        context.clusterSettings(cluster);
    }

    /** Gives the admin commands a line to the metadata group; call before start. */
    public void meta(io.basalt.gateway.local.MetaEndpoint endpoint) {
        context.meta(endpoint);
    }

    public void start() throws IOException, InterruptedException {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            // accept nothing until the gateway-local commands exist (they need the bound port)
            .option(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            // A client that pipelines without reading its replies makes the channel unwritable
            // past the high mark; its connection then stops reading (see RespConnection).
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    RespConnection.install(ch.pipeline(), context);
                }
            });
        respChannel = bootstrap.bind(config.bindHost(), config.respPort()).sync().channel();
        int respPort = respPort();
        context.startLocalCommands(respPort, VERSION);
        // maxmemory is checked against the shards' used memory, read once a second
        workers.scheduleAtFixedRate(context.memoryGuard()::refresh, 0, 1, TimeUnit.SECONDS);
        respChannel.config().setAutoRead(true);
        if (config.grpcPort() >= 0) {
            grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress(config.bindHost(), config.grpcPort()))
                .addService(new KeyValueService(context))
                .maxInboundMessageSize(64 << 20)
                .build()
                .start();
        }
        LOG.info("gateway listening: resp {}:{}{}", config.bindHost(), respPort,
            grpcServer == null ? "" : ", grpc " + config.bindHost() + ":" + grpcPort());
    }

    public int respPort() {
        return ((InetSocketAddress) respChannel.localAddress()).getPort();
    }

    /** The gRPC port, or -1 when gRPC is disabled. */
    public int grpcPort() {
        return grpcServer == null ? -1 : grpcServer.getPort();
    }

    public GatewayContext context() {
        return context;
    }

    @Override
    public void close() {
        if (grpcServer != null) {
            grpcServer.shutdownNow();
            try {
                grpcServer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (respChannel != null) {
            respChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
