package io.github.multiproc.processpool.manager;

import java.util.ArrayList;
import java.util.List;

/**
 * What a manager serves for a shared list: {@link List}, plus a copy for iteration at the
 * caller. Internal; users see {@link List}.
 *
 * @param <E> elements
 */
interface ListService<E> extends List<E> {

  /** {@return a copy of every element, in order} */
  ArrayList<E> snapshot();
}
