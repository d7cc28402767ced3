package io.basalt.gateway;

import io.basalt.gateway.local.LocalCommands;
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

    void setLocalCommands(LocalCommands localCommands) {
        this.localCommands = localCommands;
    }
}
