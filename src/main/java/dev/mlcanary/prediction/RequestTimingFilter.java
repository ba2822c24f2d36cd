package dev.mlcanary.prediction;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Whole-request latency of {@code POST /predict} (reading and writing JSON included), per version
 * and role, with histogram buckets. Requests refused before a model served them are tagged
 * {@code role=none}, {@code version=none}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestTimingFilter extends OncePerRequestFilter {

	/** Request attribute: the {@link PredictionResponse} that answered, set by the controller. */
	static final String SERVED = RequestTimingFilter.class.getName() + ".served";

	private final MeterRegistry registry;

	RequestTimingFilter(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"/predict".equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			long elapsed = System.nanoTime() - start;
			boolean served = request.getAttribute(SERVED) instanceof PredictionResponse;
			PredictionResponse answer = served ? (PredictionResponse) request.getAttribute(SERVED) : null;
			Timer.builder("canary.request.duration")
				.description("Whole POST /predict request, JSON included")
				.tags("version", served ? answer.modelVersion() : "none", "role",
						served ? answer.modelUsed().wireName() : "none", "status", Integer.toString(response.getStatus()))
				.publishPercentileHistogram()
				.register(registry)
				.record(elapsed, TimeUnit.NANOSECONDS);
		}
	}

}
