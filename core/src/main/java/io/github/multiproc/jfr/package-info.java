/**
 * JDK Flight Recorder events of every pool: calls, worker starts and exits, task timeouts. They
 * cost nothing measurable while no recording is on, and need no dependency beyond the JDK.
 *
 * {@snippet lang=shell :
 * java -XX:StartFlightRecording:filename=run.jfr,settings=profile -jar app.jar
 * jfr print --events io.github.multiproc.Call,io.github.multiproc.WorkerExit run.jfr
 * jfr summary run.jfr | grep multiproc
 * }
 *
 * <table class="striped">
 * <caption>Events</caption>
 * <tr><th>event name</th><th>when</th><th>fields</th></tr>
 * <tr><td>{@code io.github.multiproc.Call}</td><td>a {@code map}, {@code imap},
 *     {@code imapUnordered} or {@code submit} ended</td><td>pool, kind, items, outcome; its
 *     duration is the call's</td></tr>
 * <tr><td>{@code io.github.multiproc.WorkerStart}</td><td>a worker JVM answered the handshake</td>
 *     <td>pool, pid, replaced pid, time to ready, AOT cache used</td></tr>
 * <tr><td>{@code io.github.multiproc.WorkerExit}</td><td>a worker JVM is gone</td><td>pool, pid,
 *     reason, detail, exit code, signal, planned, items lost, retried and re-queued</td></tr>
 * <tr><td>{@code io.github.multiproc.TaskTimeout}</td><td>an item ran past its per-task
 *     timeout</td><td>pool, pid, input index, timeout</td></tr>
 * </table>
 *
 * <p>The classes are public so that every backend module can emit them and so that tools can name
 * them; applications only read them, through a recording. {@code docs/observability.md} shows how
 * to record and what a run looks like.
 *
 * @since 0.1
 */
package io.github.multiproc.jfr;
