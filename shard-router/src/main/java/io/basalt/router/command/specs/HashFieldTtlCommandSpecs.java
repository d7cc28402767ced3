package io.basalt.router.command.specs;

import io.basalt.router.command.CommandSpec;
import io.basalt.router.command.CommandSpec.Flag;
import io.basalt.router.command.CommandSpec.Site;
import java.util.List;

/**
 * Hash field expiry (Redis 7.4): HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL,
 * HEXPIRETIME, HPEXPIRETIME, HPERSIST.
 *
 * <p>Written by hand, not generated: scripts/gen-command-specs.py reads a running redis-server
 * 7.0.15, which has none of these commands. Arity, flags, key positions and ACL categories are
 * those of Redis 7.4's COMMAND INFO and command reference (key at 1; the setters are write,
 * denyoom and fast, HPERSIST write and fast, the getters readonly and fast). When the generator
 * moves to a 7.4 server, this class should be regenerated into HashCommandSpecs and deleted.
 */
public final class HashFieldTtlCommandSpecs {
    private HashFieldTtlCommandSpecs() {}

    public static List<CommandSpec> specs() {
        return List.of(
        CommandSpec.builder("hexpire", -6, Site.SHARD)
            .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl("write", "hash", "fast")
            .docs("Set expiry for hash field using relative time to expire (seconds)", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build(),
        CommandSpec.builder("hpexpire", -6, Site.SHARD)
            .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl("write", "hash", "fast")
            .docs("Set expiry for hash field using relative time to expire (milliseconds)", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build(),
        CommandSpec.builder("hexpireat", -6, Site.SHARD)
            .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl("write", "hash", "fast")
            .docs("Set expiry for hash field using an absolute Unix timestamp (seconds)", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build(),
        CommandSpec.builder("hpexpireat", -6, Site.SHARD)
            .flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl("write", "hash", "fast")
            .docs("Set expiry for hash field using an absolute Unix timestamp (milliseconds)", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build(),
        CommandSpec.builder("httl", -5, Site.SHARD)
            .flags(Flag.READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl("read", "hash", "fast")
            .docs("Returns the TTL in seconds of a hash field.", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build(),
        CommandSpec.builder("hpttl", -5, Site.SHARD)
            .flags(Flag.READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl("read", "hash", "fast")
            .docs("Returns the TTL in milliseconds of a hash field.", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build(),
        CommandSpec.builder("hexpiretime", -5, Site.SHARD)
            .flags(Flag.READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl("read", "hash", "fast")
            .docs("Returns the expiration time of a hash field as a Unix timestamp, in seconds.", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build(),
        CommandSpec.builder("hpexpiretime", -5, Site.SHARD)
            .flags(Flag.READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl("read", "hash", "fast")
            .docs("Returns the expiration time of a hash field as a Unix timestamp, in msec.", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build(),
        CommandSpec.builder("hpersist", -5, Site.SHARD)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl("write", "hash", "fast")
            .docs("Removes the expiration time for each specified field", "7.4.0", "hash", "O(N) where N is the number of specified fields")
            .build()
        );
    }
}
