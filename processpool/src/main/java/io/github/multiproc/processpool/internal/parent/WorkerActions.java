package io.github.multiproc.processpool.internal.parent;

/**
 * What the {@link Scheduler} decides, carried out on real workers: messages through each
 * worker's channel (with the pool's {@link ParentFaults} around it), retirement through the
 * {@link Fleet}. Never blocks: a worker's channel only queues.
 *
 * <p>Thread safety: called on the pool's event loop.
 */
final class WorkerActions implements Scheduler.Actions<WorkerProcess> {

  private final ParentFaults faults;
  private final Fleet fleet;
  private final PoolSettings settings;

  WorkerActions(ParentFaults faults, Fleet fleet, PoolSettings settings) {
    this.faults = faults;
    this.fleet = fleet;
    this.settings = settings;
  }

  @Override
  public void define(WorkerProcess worker, PoolCall call) {
    faults.around(worker).define(call.define());
  }

  @Override
  public void send(WorkerProcess worker, Batch batch) {
    faults.around(worker).tasks(batch.tasks);
  }

  @Override
  public void recall(WorkerProcess worker, Batch batch) {
    worker.recall(batch.id);
  }

  @Override
  public void release(WorkerProcess worker, PoolCall call) {
    worker.release(call.id());
  }

  @Override
  public void cancel(WorkerProcess worker, Batch batch) {
    worker.cancel(batch.id); // the caller arms the grace
  }

  @Override
  public void retire(WorkerProcess worker) {
    fleet.retire(worker, "it reached its task limit (maxTasksPerWorker " + settings.maxItemsPerWorker()
        + ") or asked to stop");
  }
}
