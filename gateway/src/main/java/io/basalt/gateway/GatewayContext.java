package io.basalt.gateway;

import io.basalt.gateway.local.GatewayInfo;
import io.basalt.gateway.local.GatewayStats;
import io.basalt.gateway.local.LocalCommands;
import io.basalt.gateway.resp.RespLimits;
import io.basalt.gateway.session.ClientRegistry;
import io.basalt.router.client.RoutingClient;
import io.basalt.router.command.CommandTable;

/** What every connection of a gateway shares. */
public final class GatewayContext {

    private final CommandTable table;
    private final CommandResolver resolver;
    private final RoutingClient router;
    private final ClientRegistry clients;
    private final GatewayConfig config;
    private final GatewayStats stats = new GatewayStats();
    private volatile LocalCommands localCommands;

    GatewayContext(CommandTable table, RoutingClient router, ClientRegistry clients, GatewayConfig config) {
        this.table = table;
        this.resolver = new CommandResolver(table);
        this.router = router;
        this.clients = clients;
        this.config = config;
    }

    public CommandTable table() { return table; }
    public CommandResolver resolver() { return resolver; }
    public RoutingClient router() { return router; }
    public ClientRegistry clients() { return clients; }
    public GatewayConfig config() { return config; }
    public LocalCommands localCommands() { return localCommands; }
    public GatewayStats stats() { return stats; }

    /** Decoder limits; Redis's defaults (proto-max-bulk-len 512 MiB, 64 KiB inline). */
    public RespLimits respLimits() {
        return RespLimits.DEFAULTS;
    }

    /** Builds the gateway-answered commands once the RESP listener's port is known. */
    void startLocalCommands(int respPort, String version) {
        GatewayInfo info = GatewayInfo.builder(clients, new RoutedShardStats(router, table))
            .basaltVersion(version)
            .listener(respPort, config.bindHost())
            .stats(stats)
            .commands(table)
            .build();
        this.localCommands = new LocalCommands(info);
    }
}
