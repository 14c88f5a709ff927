package io.github.multiproc.processpool.manager;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can travel to the manager's JVM and run there, on the real object,
 * under that object's lock: the compound update of {@link Manager#atomically}.
 *
 * {@snippet :
 * int size = Manager.atomically(list, l -> { l.add("a"); l.add("b"); return l.size(); });
 * }
 *
 * <p>What it captures is serialized with it; what it returns comes back serialized.
 *
 * @param <T> the shared object's type
 * @param <R> the result type
 * @since 0.2
 */
@FunctionalInterface
public interface SharedFunction<T, R> extends Function<T, R>, Serializable {}
