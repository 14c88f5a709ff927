package io.github.multiproc.processpool.manager;

import java.util.HashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What a manager serves for a shared map: {@link ConcurrentMap}, plus a copy of every entry in
 * one call. Internal; users see {@link ConcurrentMap}.
 *
 * @param <K> keys
 * @param <V> values
 */
interface MapService<K, V> extends ConcurrentMap<K, V> {

  /** {@return a copy of every entry, for iteration, equality and printing at the caller} */
  HashMap<K, V> snapshot();

}
