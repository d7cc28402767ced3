package io.basalt.gateway;

/**
 * Where a gateway listens and how much it accepts per connection.
 *
 * @param bindHost address of every listener (loopback by default)
 * @param respPort Redis protocol port; 0 picks a free one
 * @param grpcPort gRPC port; 0 picks a free one, -1 disables gRPC
 * @param pipelineCommandsMax commands one connection may have waiting for replies; past it the
 *     gateway stops reading that connection until replies drain (backpressure, not an error)
 */
public record GatewayConfig(String bindHost, int respPort, int grpcPort, int pipelineCommandsMax) {

    public GatewayConfig(String bindHost, int respPort, int grpcPort) {
        this(bindHost, respPort, grpcPort, 4096);
    }
}
