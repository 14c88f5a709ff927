package io.github.multiproc.processpool.manager;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that can travel to the manager's JVM: what {@link Manager#register} calls
 * there to make each new object of a registered type. A constructor reference does:
 * {@code manager.register(Inventory.class, InventoryImpl::new)}.
 *
 * <p>Thread safety: the manager calls it from one thread at a time.
 *
 * @param <T> the type of the objects it makes
 * @since 0.2
 */
@FunctionalInterface
public interface SharedSupplier<T> extends Supplier<T>, Serializable {}
