package dev.mlcanary.system;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at {@code canary.max-request-size}. A declared Content-Length over
 * the limit is answered with 413 before the body is read; a chunked body is cut off as
 * soon as it passes the limit, and the error advice turns that into the same 413. Either
 * way memory stays bounded. A {@link RequestBodyLimit} bean sets another limit for the
 * paths under its prefix.
 */
@Component
@Order(FilterOrder.REQUEST_SIZE_LIMIT)
class RequestSizeLimitFilter extends OncePerRequestFilter {

	private final long limit;

	private final List<RequestBodyLimit> pathLimits;

	private final List<ProblemCustomizer> customizers;

	RequestSizeLimitFilter(HttpProperties properties, ObjectProvider<RequestBodyLimit> pathLimits,
			ObjectProvider<ProblemCustomizer> customizers) {
		this.limit = properties.maxRequestSize().toBytes();
		this.pathLimits = pathLimits.orderedStream().toList();
		this.customizers = customizers.orderedStream().toList();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = limitFor(request.getRequestURI());
		if (request.getContentLengthLong() > limit) {
			// The body is not read: closing the connection keeps the client from sending
			// it anyway.
			response.setHeader("Connection", "close");
			ProblemDetail problem = ProblemResponses.problem(HttpStatus.CONTENT_TOO_LARGE,
					ProblemTypes.PAYLOAD_TOO_LARGE, ProblemTypes.titleFor(HttpStatus.CONTENT_TOO_LARGE.value()),
					new PayloadTooLargeException(limit).getMessage());
			customizers.forEach(customizer -> customizer.customize(request, problem));
			ProblemResponses.write(request, response, problem);
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit), response);
	}

	private long limitFor(String path) {
		for (RequestBodyLimit pathLimit : pathLimits) {
			if (path.startsWith(pathLimit.pathPrefix())) {
				return pathLimit.maxSize().toBytes();
			}
		}
		return limit;
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new LimitedInputStream(super.getInputStream(), limit);
			}
			return stream;
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long read;

		LimitedInputStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws PayloadTooLargeException {
			read += n;
			if (read > limit) {
				throw new PayloadTooLargeException(limit);
			}
		}

		@Override
		public boolean isFinished() {
			return delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			delegate.setReadListener(listener);
		}

	}

}
