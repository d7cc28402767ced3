package io.basalt.chaos.nemesis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every nemesis by name, for the drill's and the tests' command lines. */
public final class Nemeses {

    private Nemeses() {
    }

    /** A fresh instance of every nemesis, by {@link Nemesis#name()}, in a stable order. */
    public static Map<String, Nemesis> all() {
        List<Nemesis> list = new ArrayList<>();
        for (Target t : Target.values()) {
            list.add(new KillNemesis(t));
            list.add(new PauseNemesis(t));
        }
        for (PartitionNemesis.Kind k : PartitionNemesis.Kind.values()) {
            list.add(new PartitionNemesis(k));
        }
        for (Target t : Target.values()) {
            list.add(new LossNemesis(t));
            list.add(new LatencyNemesis(t));
        }
        list.add(new ClockSkewNemesis());
        list.add(new TransferLeadershipNemesis());
        list.add(new MembershipNemesis());
        Map<String, Nemesis> byName = new LinkedHashMap<>();
        list.forEach(n -> byName.put(n.name(), n));
        return byName;
    }

    /** The nemeses named in a comma-separated list; an unknown name is an error listing the known ones. */
    public static List<Nemesis> parse(String names) {
        Map<String, Nemesis> all = all();
        List<Nemesis> out = new ArrayList<>();
        for (String name : names.split(",")) {
            String n = name.trim();
            if (n.isEmpty()) {
                continue;
            }
            Nemesis nemesis = all.get(n);
            if (nemesis == null) {
                throw new IllegalArgumentException("no nemesis '" + n + "'; known: " + String.join(", ", all.keySet()));
            }
            out.add(nemesis);
        }
        return out;
    }
}
