package io.github.multiproc.benchmarks.suite;

/** The plain JVM Hello world that worker start-up is measured against. */
public final class Hello {

  private Hello() {}

  /** Prints a greeting. @param args unused */
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
