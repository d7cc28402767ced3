/**
 * Checkers of the chaos harness: each reads a recorded {@link io.basalt.chaos.history.History}
 * and says whether one consistency property held.
 *
 * <ul>
 * <li>{@link io.basalt.chaos.checker.LinearizabilityChecker}: per-key linearizability against a
 * sequential {@link io.basalt.chaos.checker.Model} ({@link io.basalt.chaos.checker.RegisterModel}
 * for READ/WRITE/CAS/SWAP), by the Wing-Gong-Lowe search ({@code WglSearch}), bounded by a
 * budget; indeterminate writes are simplified first ({@code RegisterPlanner}).
 * <li>{@link io.basalt.chaos.checker.SetChecker}, {@link io.basalt.chaos.checker.CounterChecker},
 * {@link io.basalt.chaos.checker.ListAppendChecker}: direct checks for the set, counter and
 * list-append workloads, whose structure makes the real-time part of linearizability cheap to
 * check without a search.
 * </ul>
 *
 * <p>Rules every checker follows: FAIL means the operation did not take effect; INFO (or no
 * completion) means it may have, at any time after its invocation. A run in which nothing was
 * acknowledged is UNKNOWN, never VALID (a run that did nothing cannot pass), and so is a key whose
 * check could not finish or whose acknowledged writes no read could verify. At most 20 anomalies
 * are listed, with the total in the detail line.
 *
 * <p>Assumption, from the workloads: values written, added or appended are unique per key. The
 * set and list checkers report a repeated value; the register planner checks uniqueness per value
 * before relying on it.
 */
package io.basalt.chaos.checker;
