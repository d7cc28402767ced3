package io.basalt.chaos.checker;

import io.basalt.chaos.history.History;

/** Decides whether a history satisfies one consistency property. */
public interface Checker {

    /** A short name for reports ("linearizable-register", "set", ...). */
    String name();

    CheckResult check(History history);
}
