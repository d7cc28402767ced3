package io.basalt.chaos.history;

/**
 * When a fault was in effect, on the history's clock: reports shade these windows, and the
 * drill prints the unavailability inside each.
 *
 * @param nemesis the nemesis's name
 * @param description what it did ("killed n2 (leader)")
 * @param startNanos when the fault was injected
 * @param endNanos when it was healed
 */
public record FaultWindow(String nemesis, String description, long startNanos, long endNanos) {
}
