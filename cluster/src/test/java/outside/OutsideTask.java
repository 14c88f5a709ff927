package outside;

import io.github.multiproc.Task;

/** A task in a package no allow-list names, so members refuse to deserialize it. */
public final class OutsideTask implements Task<Integer, Integer> {
  @Override
  public Integer apply(Integer x) {
    return x;
  }
}
