package org.orderly.broker.schedule;

import java.util.Properties;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz scheduler of the broker: in-memory job store (jobs are defined by configuration at
 * every start, nothing to persist), one worker thread (house-keeping jobs, not throughput), no
 * update check. Later house-keeping jobs are added here the same way as the purge.
 */
public final class OrderlyScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrderlyScheduler.class);
    static final String PURGE_KEY = "orderly.worklistPurge";
    static final String RETENTION_KEY = "orderly.retentionDays";
    public static final JobKey PURGE_JOB = JobKey.jobKey("worklist-purge", "orderly");

    private final Scheduler scheduler;

    private OrderlyScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public static OrderlyScheduler start(WorklistPurge purge, int retentionDays, String purgeCron) throws SchedulerException {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "orderly");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "orderly-quartz");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        Scheduler s = new StdSchedulerFactory(p).getScheduler();
        try {
            s.getContext().put(PURGE_KEY, purge);
            s.getContext().put(RETENTION_KEY, retentionDays);
            JobDetail job = JobBuilder.newJob(WorklistPurgeJob.class).withIdentity(PURGE_JOB)
                    .withDescription("delete worklist items older than the retention").build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity("worklist-purge", "orderly")
                    .withSchedule(CronScheduleBuilder.cronSchedule(purgeCron).inTimeZone(TimeZone.getDefault())
                            .withMisfireHandlingInstructionFireAndProceed())
                    .build();
            s.scheduleJob(job, trigger);
            s.start();
            LOG.info("scheduler: worklist purge '{}' (retention {} days), next run {}", purgeCron, retentionDays,
                    trigger.getNextFireTime());
            return new OrderlyScheduler(s);
        } catch (SchedulerException | RuntimeException e) {
            s.shutdown(false);
            throw e;
        }
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Waits for a running job to finish, then stops. */
    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("scheduler: error while stopping: {}", e.toString());
        }
    }
}
