import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator for POST /predict (scripts/bench/isolation.sh): requests are due at a
 * fixed arrival rate, one every 1/RATE seconds, whatever the answers do, and each latency is measured
 * from the moment its request was due, not from when it could be sent, so a stall counts against every
 * request it delayed (no coordinated omission). Two independent streams, as two groups of clients: a
 * share CANARY_SHARE of the rate forced onto the canary ({@code X-Canary-Route: canary}) over
 * CANARY_THREADS connections, the rest forced onto stable over STABLE_THREADS connections, reported
 * apart, so that slowed canary requests never hold a connection that a stable request waits for.
 *
 * <p>Each thread holds one keep-alive connection and takes its stream's next due request when free; a
 * request that finds every thread of its stream busy waits, and that wait is in its latency. Plain
 * blocking sockets and a minimal HTTP/1.1 exchange, so that the generator spends little CPU beside the
 * service. Runs on Java 17 or newer: {@code java OpenLoop.java HOST PORT RATE SECONDS WARMUP
 * STABLE_THREADS CANARY_THREADS CANARY_SHARE}. Prints one line per stream: {@code OPENLOOP role n
 * rate_per_s non200 errors p50_ms p99_ms p999_ms max_ms}.
 */
public final class OpenLoop {

	private static final String BODY = "{\"features\":[0.5,1.2,0.8,0.3,1.1]}";

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		double rate = Double.parseDouble(args[2]);
		double seconds = Double.parseDouble(args[3]);
		double warmup = Double.parseDouble(args[4]);
		int[] threads = { Integer.parseInt(args[5]), Integer.parseInt(args[6]) };
		double canaryShare = Double.parseDouble(args[7]);
		double[] rates = { rate * (1 - canaryShare), rate * canaryShare };
		String[] names = { "stable", "canary" };
		byte[][] requests = { request(host, port, "stable"), request(host, port, "canary") };
		long[][] latencies = new long[2][];
		AtomicInteger[] counts = { new AtomicInteger(), new AtomicInteger() };
		AtomicInteger[] non200 = { new AtomicInteger(), new AtomicInteger() };
		AtomicInteger[] errors = { new AtomicInteger(), new AtomicInteger() };
		long start = System.nanoTime() + 200_000_000L;
		CountDownLatch done = new CountDownLatch(threads[0] + threads[1]);
		for (int r = 0; r < 2; r++) {
			int role = r;
			if (threads[role] == 0 || rates[role] <= 0) {
				latencies[role] = new long[0];
				for (int t = 0; t < threads[role]; t++) {
					done.countDown();
				}
				continue;
			}
			long interval = Math.round(1e9 / rates[role]);
			long warmupTickets = Math.round(warmup * rates[role]);
			long total = warmupTickets + Math.round(seconds * rates[role]);
			latencies[role] = new long[(int) (total - warmupTickets) + 1];
			AtomicLong tickets = new AtomicLong();
			for (int t = 0; t < threads[role]; t++) {
				Thread thread = new Thread(() -> {
					Connection connection = new Connection(host, port);
					byte[] buffer = new byte[8192];
					try {
						for (long k = tickets.getAndIncrement(); k < total; k = tickets.getAndIncrement()) {
							long due = start + k * interval;
							for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
								LockSupport.parkNanos(wait);
							}
							int status;
							try {
								status = connection.exchange(requests[role], buffer);
							}
							catch (IOException ex) {
								connection.close();
								status = -1;
							}
							long latency = System.nanoTime() - due;
							if (k < warmupTickets) {
								continue;
							}
							if (status == -1) {
								errors[role].incrementAndGet();
							}
							else if (status != 200) {
								non200[role].incrementAndGet();
							}
							latencies[role][counts[role].getAndIncrement()] = latency;
						}
					}
					finally {
						connection.close();
						done.countDown();
					}
				}, "openloop-" + names[role] + "-" + t);
				thread.setDaemon(true);
				thread.start();
			}
		}
		done.await();
		double measured = (System.nanoTime() - start) / 1e9 - warmup;
		for (int role = 0; role < 2; role++) {
			int n = counts[role].get();
			long[] sorted = Arrays.copyOf(latencies[role], n);
			Arrays.sort(sorted);
			System.out.printf("OPENLOOP %s %d %.0f %d %d %s %s %s %s%n", names[role], n, n / measured,
					non200[role].get(), errors[role].get(), percentile(sorted, 0.50), percentile(sorted, 0.99),
					percentile(sorted, 0.999), (n > 0) ? ms(sorted[n - 1]) : "null");
		}
	}

	private static String percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return "null";
		}
		int rank = (int) Math.ceil(p * sorted.length);
		return ms(sorted[Math.max(rank, 1) - 1]);
	}

	private static String ms(long nanos) {
		return String.format("%.3f", nanos / 1e6);
	}

	private static byte[] request(String host, int port, String route) {
		String request = "POST /predict HTTP/1.1\r\nHost: " + host + ":" + port
				+ "\r\nContent-Type: application/json\r\nX-Canary-Route: " + route + "\r\nContent-Length: "
				+ BODY.length() + "\r\n\r\n" + BODY;
		return request.getBytes(StandardCharsets.US_ASCII);
	}

	/** One keep-alive connection, reopened when the server closes it. */
	private static final class Connection {

		private final String host;

		private final int port;

		private Socket socket;

		private InputStream in;

		private OutputStream out;

		Connection(String host, int port) {
			this.host = host;
			this.port = port;
		}

		/** Sends one request and reads its whole answer; returns the status code. */
		int exchange(byte[] request, byte[] buffer) throws IOException {
			if (this.socket == null) {
				this.socket = new Socket();
				this.socket.setTcpNoDelay(true);
				this.socket.connect(new InetSocketAddress(this.host, this.port), 10_000);
				this.socket.setSoTimeout(10_000);
				this.in = this.socket.getInputStream();
				this.out = this.socket.getOutputStream();
			}
			this.out.write(request);
			this.out.flush();
			int length = 0;
			int headerEnd = -1;
			while (headerEnd < 0) {
				int read = this.in.read(buffer, length, buffer.length - length);
				if (read < 0) {
					throw new IOException("closed");
				}
				length += read;
				headerEnd = indexOf(buffer, length, "\r\n\r\n");
			}
			String head = new String(buffer, 0, headerEnd, StandardCharsets.US_ASCII);
			int status = Integer.parseInt(head.substring(9, 12));
			String lower = head.toLowerCase();
			int at = lower.indexOf("content-length:");
			if (at >= 0) {
				int end = lower.indexOf('\r', at);
				int contentLength = Integer.parseInt(lower.substring(at + 15, (end < 0) ? lower.length() : end).trim());
				int bodyRead = length - headerEnd - 4;
				while (bodyRead < contentLength) {
					int read = this.in.read(buffer, 0, Math.min(buffer.length, contentLength - bodyRead));
					if (read < 0) {
						throw new IOException("closed");
					}
					bodyRead += read;
				}
			}
			else if (lower.contains("transfer-encoding: chunked")) {
				// Read until the last chunk; the answers here are small, so it fits the buffer.
				while (indexOf(buffer, length, "\r\n0\r\n\r\n") < 0) {
					int read = this.in.read(buffer, length, buffer.length - length);
					if (read < 0) {
						throw new IOException("closed");
					}
					length += read;
				}
			}
			if (lower.contains("connection: close")) {
				close();
			}
			return status;
		}

		void close() {
			if (this.socket != null) {
				try {
					this.socket.close();
				}
				catch (IOException ex) {
					// closing anyway
				}
				this.socket = null;
			}
		}

		private static int indexOf(byte[] buffer, int length, String pattern) {
			outer: for (int i = 0; i + pattern.length() <= length; i++) {
				for (int j = 0; j < pattern.length(); j++) {
					if (buffer[i + j] != pattern.charAt(j)) {
						continue outer;
					}
				}
				return i;
			}
			return -1;
		}

	}

}
