package io.github.multiproc.benchmarks.suite;

/**
 * One side-by-side measurement: how to run one repetition on our side, and which command runs
 * one repetition on the peer's.
 *
 * @param name the scenario, as the report shows it
 * @param unit the unit of both sides' values
 * @param better which direction is better
 * @param peerName what the peer is
 * @param ours one repetition of our side
 * @param peer one repetition of the peer's side
 */
record Scenario(String name, String unit, Comparison.Better better, String peerName, Repetition ours,
    Repetition peer) {

  /** One repetition, returning its value. */
  @FunctionalInterface
  interface Repetition {
    double run() throws Exception;
  }
}
