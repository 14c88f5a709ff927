package io.github.multiproc.processpool.manager;

import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Spliterator;

/**
 * The proxy of a shared list ({@link Manager#list}): a {@link List} whose every method is one call
 * to the manager, atomic there. {@code iterator()}, {@code spliterator()} (so streams),
 * {@code toArray}, {@code equals}, {@code hashCode} and {@code toString} work on a copy taken
 * in one call; removing through such an iterator calls the manager. {@code listIterator} and
 * {@code subList} call the manager for each element they touch. Null elements are allowed.
 *
 * <p>Serializable: it travels as its {@link ObjectRef}. Thread-safe; a compound update (check
 * then act) belongs in {@link Manager#atomically}.
 *
 * @param <E> elements
 */
final class RemoteList<E> extends AbstractList<E> implements RandomAccess, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private static final MethodTable T = MethodTable.of(ListService.class);
  private static final int GET = T.indexOf("get", int.class);
  private static final int SET = T.indexOf("set", int.class, Object.class);
  private static final int ADD = T.indexOf("add", Object.class);
  private static final int ADD_AT = T.indexOf("add", int.class, Object.class);
  private static final int REMOVE_AT = T.indexOf("remove", int.class);
  private static final int REMOVE = T.indexOf("remove", Object.class);
  private static final int SIZE = T.indexOf("size");
  private static final int IS_EMPTY = T.indexOf("isEmpty");
  private static final int CLEAR = T.indexOf("clear");
  private static final int CONTAINS = T.indexOf("contains", Object.class);
  private static final int CONTAINS_ALL = T.indexOf("containsAll", Collection.class);
  private static final int INDEX_OF = T.indexOf("indexOf", Object.class);
  private static final int LAST_INDEX_OF = T.indexOf("lastIndexOf", Object.class);
  private static final int ADD_ALL = T.indexOf("addAll", Collection.class);
  private static final int ADD_ALL_AT = T.indexOf("addAll", int.class, Collection.class);
  private static final int REMOVE_ALL = T.indexOf("removeAll", Collection.class);
  private static final int RETAIN_ALL = T.indexOf("retainAll", Collection.class);
  private static final int SNAPSHOT = T.indexOf("snapshot");

  private final CollectionRef ref;

  RemoteList(ObjectRef ref) {
    this.ref = new CollectionRef(ref, CollectionRef.Kind.LIST);
  }

  Target target() {
    return ref.target();
  }

  private Object call(int method, String name, Object... args) {
    return ref.call(method, name, args);
  }

  @SuppressWarnings("unchecked")
  private E element(Object o) {
    return (E) o;
  }

  @Override
  public E get(int index) {
    return element(call(GET, "get", index));
  }

  @Override
  public E set(int index, E element) {
    return element(call(SET, "set", index, element));
  }

  @Override
  public boolean add(E element) {
    return (Boolean) call(ADD, "add", element);
  }

  @Override
  public void add(int index, E element) {
    call(ADD_AT, "add", index, element);
  }

  @Override
  public E remove(int index) {
    return element(call(REMOVE_AT, "remove", index));
  }

  @Override
  public boolean remove(Object o) {
    return (Boolean) call(REMOVE, "remove", o);
  }

  @Override
  public int size() {
    return (Integer) call(SIZE, "size");
  }

  @Override
  public boolean isEmpty() {
    return (Boolean) call(IS_EMPTY, "isEmpty");
  }

  @Override
  public void clear() {
    call(CLEAR, "clear");
  }

  @Override
  public boolean contains(Object o) {
    return (Boolean) call(CONTAINS, "contains", o);
  }

  @Override
  public boolean containsAll(Collection<?> c) {
    return (Boolean) call(CONTAINS_ALL, "containsAll", new ArrayList<>(c));
  }

  @Override
  public int indexOf(Object o) {
    return (Integer) call(INDEX_OF, "indexOf", o);
  }

  @Override
  public int lastIndexOf(Object o) {
    return (Integer) call(LAST_INDEX_OF, "lastIndexOf", o);
  }

  @Override
  public boolean addAll(Collection<? extends E> c) {
    return (Boolean) call(ADD_ALL, "addAll", new ArrayList<>(c));
  }

  @Override
  public boolean addAll(int index, Collection<? extends E> c) {
    return (Boolean) call(ADD_ALL_AT, "addAll", index, new ArrayList<>(c));
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    return (Boolean) call(REMOVE_ALL, "removeAll", new ArrayList<>(c));
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    return (Boolean) call(RETAIN_ALL, "retainAll", new ArrayList<>(c));
  }

  /** {@return a copy of the whole list, in one call} */
  @SuppressWarnings("unchecked")
  ArrayList<E> snapshot() {
    return (ArrayList<E>) call(SNAPSHOT, "snapshot");
  }

  @Override
  public Object[] toArray() {
    return snapshot().toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return snapshot().toArray(a);
  }

  @Override
  public Iterator<E> iterator() {
    ArrayList<E> copy = snapshot();
    return new Iterator<>() {
      private int cursor;
      private int last = -1;
      private int removed;

      @Override
      public boolean hasNext() {
        return cursor < copy.size();
      }

      @Override
      public E next() {
        if (cursor >= copy.size()) {
          throw new NoSuchElementException("no element after index " + (cursor - 1));
        }
        last = cursor;
        return copy.get(cursor++);
      }

      @Override
      public void remove() {
        if (last < 0) {
          throw new IllegalStateException("next() was not called, or remove() was called already");
        }
        RemoteList.this.remove(last - removed);
        removed++;
        last = -1;
      }
    };
  }

  @Override
  public Spliterator<E> spliterator() {
    return snapshot().spliterator();
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof List<?> l && snapshot().equals(l);
  }

  @Override
  public int hashCode() {
    return snapshot().hashCode();
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
