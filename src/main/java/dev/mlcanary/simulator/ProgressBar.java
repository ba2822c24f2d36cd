package dev.mlcanary.simulator;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how far a traffic batch has got. On a terminal it redraws one line with a
 * carriage return (at most every {@value #REDRAW_MILLIS} ms); elsewhere (CI logs, pipes)
 * it prints a plain line at each quarter, so a log holds five readable lines per batch
 * instead of hundreds of redraws.
 */
final class ProgressBar {

	static final int WIDTH = 30;

	static final long REDRAW_MILLIS = 100;

	private final PrintStream out;

	private final boolean interactive;

	private final LongSupplier nanoClock;

	private final String label;

	private final int total;

	private long lastDrawNanos;

	private int lastQuarter = -1;

	private int lastLength;

	private boolean finished;

	ProgressBar(PrintStream out, boolean interactive, LongSupplier nanoClock, String label, int total) {
		this.out = out;
		this.interactive = interactive;
		this.nanoClock = nanoClock;
		this.label = label;
		this.total = total;
	}

	/**
	 * {@code [##########--------------------]  100/300  33%  stable 91  canary 9}: the
	 * bar, the count, the share done and which role served the answers so far. More than
	 * {@code total} shows a full bar; a total of zero counts as done.
	 */
	static String render(int done, int total, int stable, int canary, int width) {
		double fraction = total <= 0 ? 1.0 : Math.min(1.0, Math.max(0, done) / (double) total);
		int filled = (int) Math.floor(fraction * width);
		String digits = Integer.toString(Math.max(total, done));
		return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]  "
				+ String.format(Locale.ROOT, "%" + digits.length() + "d/%d  %3d%%  stable %d  canary %d", done, total,
						(int) Math.floor(fraction * 100), stable, canary);
	}

	/** Reports progress; safe to call from the threads that complete requests. */
	synchronized void update(int done, int stable, int canary) {
		if (finished) {
			return;
		}
		if (interactive) {
			long now = nanoClock.getAsLong();
			if (done < total && lastQuarter >= 0 && now - lastDrawNanos < REDRAW_MILLIS * 1_000_000) {
				return;
			}
			lastDrawNanos = now;
			lastQuarter = 0;
			String line = label + render(done, total, stable, canary, WIDTH);
			out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
			lastLength = line.length();
			out.flush();
		}
		else {
			int quarter = total <= 0 ? 4 : (int) Math.min(4, 4L * done / total);
			if (quarter > lastQuarter) {
				lastQuarter = quarter;
				out.println(label + render(done, total, stable, canary, WIDTH));
			}
		}
	}

	/** Draws the final state and ends the line; later updates are ignored. */
	synchronized void finish(int done, int stable, int canary) {
		if (finished) {
			return;
		}
		if (interactive) {
			lastQuarter = -1;
			update(done, stable, canary);
			out.println();
		}
		else if (lastQuarter < 4 || done != total) {
			lastQuarter = -1;
			update(done, stable, canary);
		}
		finished = true;
	}

}
