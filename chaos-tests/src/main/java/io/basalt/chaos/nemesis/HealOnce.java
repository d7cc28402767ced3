package io.basalt.chaos.nemesis;

import java.util.concurrent.atomic.AtomicBoolean;

/** A fault whose heal runs its undo action once, however often it is called. */
final class HealOnce implements Fault {

    /** The undo step of a fault. */
    @FunctionalInterface
    interface Undo {
        void run() throws Exception;
    }

    private final String description;
    private final Undo undo;
    private final AtomicBoolean healed = new AtomicBoolean();

    HealOnce(String description, Undo undo) {
        this.description = description;
        this.undo = undo;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void heal() throws Exception {
        if (healed.compareAndSet(false, true)) {
            try {
                undo.run();
            } catch (Exception e) {
                healed.set(false); // let the runner try again
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
