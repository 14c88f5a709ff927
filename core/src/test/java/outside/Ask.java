package outside;

import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task of a package outside multiproc's, answering with a class of its own package (a plain
 * class: records and enums are allowed anywhere): what a user's {@code Callable} given to
 * {@code pool.asExecutorService()} is. The pool must decode its result.
 *
 * @param text echoed back
 */
public record Ask(String text) implements Callable<Ask.Answer>, Serializable {

  /** The answer: a result class of the task's package. */
  public static final class Answer implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final long pid;
    private final String text;

    Answer(long pid, String text) {
      this.pid = pid;
      this.text = text;
    }

    /** {@return the worker's pid} */
    public long pid() {
      return pid;
    }

    /** {@return the question's text} */
    public String text() {
      return text;
    }
  }

  @Override
  public Answer call() {
    return new Answer(ProcessHandle.current().pid(), text);
  }
}
