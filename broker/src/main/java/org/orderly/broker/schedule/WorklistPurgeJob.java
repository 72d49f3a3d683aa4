package org.orderly.broker.schedule;

import java.time.LocalDateTime;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz job: the nightly worklist purge ({@code orderly.worklist.purge-cron}, default 02:30),
 * deleting items scheduled more than {@code orderly.worklist.retention-days} (default 7) ago.
 * Never runs twice at once. Its collaborators come from the scheduler context (see
 * {@link OrderlyScheduler}); the work itself is {@link WorklistPurge}, tested on its own.
 */
@DisallowConcurrentExecution
public final class WorklistPurgeJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(WorklistPurgeJob.class);

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            WorklistPurge purge = (WorklistPurge) context.getScheduler().getContext().get(OrderlyScheduler.PURGE_KEY);
            int days = (Integer) context.getScheduler().getContext().get(OrderlyScheduler.RETENTION_KEY);
            LocalDateTime cutoff = WorklistPurge.cutoff(LocalDateTime.now(), days);
            WorklistPurge.Result r = purge.purgeScheduledBefore(cutoff);
            LOG.info("worklist purge: deleted {} step(s), {} procedure(s), {} patient(s) scheduled before {}",
                    r.steps(), r.procedures(), r.patients(), cutoff.withNano(0));
        } catch (SchedulerException | java.sql.SQLException | RuntimeException e) {
            LOG.warn("worklist purge failed: {}", e.toString());
            throw new JobExecutionException(e, false);
        }
    }
}
