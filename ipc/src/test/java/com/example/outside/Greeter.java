package com.example.outside;

/** An interface outside every allowed package, for dynamic proxies in tests. */
public interface Greeter extends java.io.Serializable {

  /** @return a greeting */
  String greet();
}
