package io.basalt.chaos.history;

/**
 * An invocation paired with its completion. A missing completion (the run ended first, or the
 * process crashed) counts as INFO: it may have taken effect at any time after the invocation.
 *
 * @param invoke the INVOKE event
 * @param completion OK, FAIL or INFO, or null when none was recorded
 */
public record Operation(Op invoke, Op completion) {

    public Op.Type outcome() {
        return completion == null ? Op.Type.INFO : completion.type();
    }

    public boolean ok() { return outcome() == Op.Type.OK; }

    public boolean failed() { return outcome() == Op.Type.FAIL; }

    /** May have taken effect without our knowing: INFO or never completed. */
    public boolean indeterminate() { return outcome() == Op.Type.INFO; }

    public int process() { return invoke.process(); }

    public Op.Fn f() { return invoke.f(); }

    public String key() { return invoke.key(); }

    public long startNanos() { return invoke.nanos(); }

    /** Completion time; Long.MAX_VALUE for an indeterminate operation (it may take effect at any later time). */
    public long endNanos() {
        return indeterminate() ? Long.MAX_VALUE : completion.nanos();
    }

    /** What the operation observed (reads) or the invocation's argument (writes). */
    public Object value() {
        return completion != null && completion.type() == Op.Type.OK && completion.value() != null
            ? completion.value() : invoke.value();
    }
}
