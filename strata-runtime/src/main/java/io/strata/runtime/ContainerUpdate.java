package io.strata.runtime;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.runtime.spec.HostConfig;
import io.strata.runtime.spec.BundleWriter;

/**
 * Docker's {@code update}, as the daemon does it: the container's kept limits and restart policy
 * change, then a running (or paused) container's cgroup gets the new limits through
 * {@code runc update}; when runc refuses them the kept values are put back. A stopped container
 * gets them at its next start, a restarting one when its monitor starts it again. A monitor reads
 * the restart policy when the process ends, so a new policy applies to the current run.
 */
final class ContainerUpdate {
  private final Containers containers;
  private final ContainerStore table;

  ContainerUpdate(Containers containers, ContainerStore table) {
    this.containers = containers;
    this.table = table;
  }

  Container update(String nameOrId, UpdateRequest request) {
    Container c = table.resolve(nameOrId);
    ContainerSpec before = c.spec();
    ContainerSpec after;
    try {
      after = updated(before, request);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(cannotUpdate(c, e.getMessage()));
    }
    table.updateSpec(c.id(), after);
    Container now = table.get(c.id()).orElse(c);
    if (now.state() == ContainerState.RUNNING || now.state() == ContainerState.PAUSED) {
      try {
        containers.runc().update(c.id(), BundleWriter.resourcesUpdate(after.options().host().resources()));
      } catch (FailedPreconditionException e) {
        table.updateSpec(c.id(), before);
        throw new FailedPreconditionException(cannotUpdate(c, e.getMessage()));
      }
    }
    return now;
  }

  private static ContainerSpec updated(ContainerSpec spec, UpdateRequest request) {
    RunOptions run = null;
    if (request.restart() != null && !request.restart().isEmpty()) {
      RestartPolicy policy = RestartPolicy.parse(request.restart());
      if (!policy.isNo() && spec.autoRemove()) {
        throw new InvalidArgumentException("Restart policy cannot be updated because AutoRemove is enabled for the container");
      }
      run = new RunOptions(request.restart());
    }
    HostConfig host = spec.options().host();
    HostConfig newHost = host.withResources(host.resources().updatedBy(request.resources()));
    return spec.withUpdate(spec.options().withHost(newHost), run);
  }

  private static String cannotUpdate(Container c, String why) {
    return "Cannot update container " + c.id() + ": " + why;
  }
}
