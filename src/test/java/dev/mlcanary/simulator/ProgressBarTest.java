package dev.mlcanary.simulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

	private final AtomicLong clock = new AtomicLong();

	private String printed() {
		return bytes.toString(StandardCharsets.UTF_8);
	}

	@Test
	void rendersAnEmptyBar() {
		assertThat(ProgressBar.render(0, 300, 0, 0, 10)).isEqualTo("[----------]    0/300    0%  stable 0  canary 0");
	}

	@Test
	void rendersAPartlyFilledBarRoundingDown() {
		assertThat(ProgressBar.render(150, 300, 135, 15, 10))
			.isEqualTo("[#####-----]  150/300   50%  stable 135  canary 15");
		assertThat(ProgressBar.render(299, 300, 270, 29, 10))
			.isEqualTo("[#########-]  299/300   99%  stable 270  canary 29");
	}

	@Test
	void rendersAFullBar() {
		assertThat(ProgressBar.render(300, 300, 270, 30, 10))
			.isEqualTo("[##########]  300/300  100%  stable 270  canary 30");
	}

	@Test
	void moreThanTheTotalIsAFullBarAndKeepsItsCount() {
		assertThat(ProgressBar.render(1200, 300, 1000, 200, 10))
			.isEqualTo("[##########]  1200/300  100%  stable 1000  canary 200");
	}

	@Test
	void aZeroTotalCountsAsDone() {
		assertThat(ProgressBar.render(0, 0, 0, 0, 4)).isEqualTo("[####]  0/0  100%  stable 0  canary 0");
	}

	@Test
	void theCountKeepsItsWidthSoTheLineDoesNotJump() {
		assertThat(ProgressBar.render(5, 1000, 5, 0, 1)).startsWith("[-]     5/1000    0%");
		assertThat(ProgressBar.render(995, 1000, 900, 95, 1)).startsWith("[-]   995/1000   99%");
	}

	@Test
	void withoutATerminalItPrintsOneLinePerQuarter() {
		ProgressBar bar = new ProgressBar(out, false, clock::get, "  ", 100);
		bar.update(0, 0, 0);
		for (int done = 1; done <= 100; done++) {
			bar.update(done, done - done / 10, done / 10);
		}
		bar.finish(100, 90, 10);

		String[] lines = printed().split("\n");
		assertThat(printed()).doesNotContain("\r");
		assertThat(lines).hasSize(5);
		assertThat(lines[0]).startsWith("  [").contains("  0/100    0%");
		assertThat(lines[1]).contains(" 25/100   25%");
		assertThat(lines[4]).contains("100/100  100%  stable 90  canary 10");
	}

	@Test
	void withoutATerminalAnEarlyFinishPrintsWhereItStopped() {
		ProgressBar bar = new ProgressBar(out, false, clock::get, "", 100);
		bar.update(0, 0, 0);
		bar.update(10, 9, 1);
		bar.finish(10, 9, 1);
		bar.update(50, 45, 5);

		String[] lines = printed().split("\n");
		assertThat(lines).hasSize(2);
		assertThat(lines[1]).contains(" 10/100   10%");
	}

	@Test
	void onATerminalItRedrawsOneLineAtMostEveryHundredMilliseconds() {
		ProgressBar bar = new ProgressBar(out, true, clock::get, "", 100);
		bar.update(0, 0, 0);
		bar.update(1, 1, 0);
		clock.addAndGet(50_000_000);
		bar.update(2, 2, 0);
		clock.addAndGet(60_000_000);
		bar.update(3, 3, 0);

		assertThat(printed()).doesNotContain("\n").startsWith("\r[");
		assertThat(printed().split("\r")).hasSize(3);
		assertThat(printed()).contains("  3/100").doesNotContain("  1/100").doesNotContain("  2/100");
	}

	@Test
	void onATerminalTheFinalStateIsAlwaysDrawnAndEndsTheLine() {
		ProgressBar bar = new ProgressBar(out, true, clock::get, "", 100);
		bar.update(0, 0, 0);
		bar.update(99, 90, 9);
		bar.finish(100, 90, 10);
		bar.finish(100, 90, 10);

		assertThat(printed()).endsWith("100/100  100%  stable 90  canary 10\n");
		assertThat(printed().split("\n")).hasSize(1);
	}

	@Test
	void onATerminalAShorterLineBlanksWhatIsLeftOfTheLongerOne() {
		ProgressBar bar = new ProgressBar(out, true, clock::get, "", 10);
		bar.update(0, 1000, 1000);
		bar.finish(10, 9, 1);

		String[] draws = printed().split("\r");
		assertThat(draws[2].stripTrailing()).endsWith("stable 9  canary 1");
		assertThat(draws[2].length()).isEqualTo(draws[1].length() + 1);
	}

}
