package io.basalt.node.engine;

/**
 * Seeds for randomized tests: from -Dbasalt.seed=N when given (to rerun a failure), else fresh.
 * Every randomized test prints its seed and puts it in its failure messages.
 */
final class Seeds {
    private Seeds() {}

    static long seed(String test) {
        Long fixed = Long.getLong("basalt.seed");
        long seed = fixed != null ? fixed : System.nanoTime() ^ test.hashCode();
        System.out.println(test + ": seed=" + seed + " (rerun with -Dbasalt.seed=" + seed + ")");
        return seed;
    }
}
