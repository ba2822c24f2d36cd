package dev.mlcanary.system;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * One task run on a daemon thread of its own, with a fixed delay between runs, on
 * Spring's task scheduler. A run that throws is handed to the error handler (or Spring's,
 * which logs it) and the next run still happens; {@link #stop()} waits for a run under
 * way, at most the given time, so that what it does is finished before the caller goes
 * on.
 */
public final class PeriodicTask {

	private final ThreadPoolTaskScheduler scheduler;

	private PeriodicTask(ThreadPoolTaskScheduler scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * @param threadName the name of its thread, as logs show it
	 * @param firstRun how long after now the first run starts
	 * @param delay the time between the end of one run and the start of the next
	 * @param awaitOnStop how long {@link #stop()} waits for a run under way
	 * ({@code ZERO}: not at all)
	 * @param onError what a run that throws is handed to, or {@code null} for Spring's
	 * default (logged at ERROR)
	 */
	public static PeriodicTask start(String threadName, Duration firstRun, Duration delay, Duration awaitOnStop,
			@Nullable Consumer<Throwable> onError, Runnable task) {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadFactory(runnable -> {
			Thread thread = new Thread(runnable, threadName);
			thread.setDaemon(true);
			return thread;
		});
		if (onError != null) {
			scheduler.setErrorHandler(onError::accept);
		}
		scheduler.setWaitForTasksToCompleteOnShutdown(!awaitOnStop.isZero());
		scheduler.setAwaitTerminationMillis(awaitOnStop.toMillis());
		scheduler.initialize();
		scheduler.scheduleWithFixedDelay(task, Instant.now().plus(firstRun), delay);
		return new PeriodicTask(scheduler);
	}

	/** No run starts after this; a run under way is waited for as {@link #start} said. */
	public void stop() {
		scheduler.shutdown();
	}

}
