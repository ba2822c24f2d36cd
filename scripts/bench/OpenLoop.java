import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * An open-loop load generator for POST /predict (scripts/bench/isolation.sh): requests are due at a
 * fixed arrival rate, one every 1/RATE seconds, whatever the answers do, and each latency is measured
 * from the moment its request was due, not from when it could be sent, so a stall counts against every
 * request it delayed (no coordinated omission). Two independent streams, as two groups of clients: a
 * share CANARY_SHARE of the rate forced onto the canary ({@code X-Canary-Route: canary}) over
 * CANARY_CONNECTIONS connections, the rest forced onto stable over STABLE_CONNECTIONS connections,
 * reported apart, so that slowed canary requests never hold a connection that a stable request waits
 * for.
 *
 * <p>Each connection is a keep-alive HTTP/1.1 connection with at most one request outstanding; a due
 * request goes out on a free connection of its stream, and a request that finds every connection of
 * its stream busy waits for one, and that wait is in its latency. One thread drives every connection
 * through a selector (non-blocking sockets, a minimal HTTP/1.1 exchange), and it spins for the last
 * millisecond or less before a request is due: at high rates it takes one core, and tens of thousands of requests a second fit in it, so
 * the benchmark gives it a core of its own (taskset). Runs on Java 17 or newer: {@code java
 * OpenLoop.java HOST PORT RATE SECONDS WARMUP STABLE_CONNECTIONS CANARY_CONNECTIONS CANARY_SHARE}.
 * Prints one line per stream: {@code OPENLOOP role n rate_per_s non200 errors p50_ms p99_ms p999_ms
 * max_ms}; a request unanswered 15 s after the last was due counts as an error.
 */
public final class OpenLoop {

	private static final String BODY = "{\"features\":[0.5,1.2,0.8,0.3,1.1]}";

	private static final long DRAIN_NANOS = 15_000_000_000L;

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		double rate = Double.parseDouble(args[2]);
		double seconds = Double.parseDouble(args[3]);
		double warmup = Double.parseDouble(args[4]);
		int[] connections = { Integer.parseInt(args[5]), Integer.parseInt(args[6]) };
		double canaryShare = Double.parseDouble(args[7]);
		double[] rates = { rate * (1 - canaryShare), rate * canaryShare };
		String[] names = { "stable", "canary" };
		InetSocketAddress address = new InetSocketAddress(host, port);
		Selector selector = Selector.open();
		long start = System.nanoTime() + 200_000_000L;
		Stream[] streams = new Stream[2];
		for (int role = 0; role < 2; role++) {
			boolean active = connections[role] > 0 && rates[role] > 0;
			streams[role] = new Stream(request(host, port, names[role]), active ? rates[role] : 1, active ? warmup : 0,
					active ? seconds : 0, start);
			for (int c = 0; active && c < connections[role]; c++) {
				streams[role].idle.add(new Connection(streams[role], address, selector));
			}
		}
		ByteBuffer buffer = ByteBuffer.allocateDirect(16384);
		long lastDue = start;
		for (Stream stream : streams) {
			lastDue = Math.max(lastDue, stream.due(stream.total));
		}
		while (true) {
			long now = System.nanoTime();
			boolean pending = false;
			long wake = Long.MAX_VALUE;
			for (Stream stream : streams) {
				while (stream.next < stream.total && stream.due(stream.next) <= now && !stream.idle.isEmpty()) {
					stream.idle.poll().send(stream.next, stream.due(stream.next));
					stream.next++;
				}
				if (stream.next < stream.total || stream.inFlight > 0) {
					pending = true;
				}
				if (stream.next < stream.total && !stream.idle.isEmpty()) {
					wake = Math.min(wake, stream.due(stream.next));
				}
			}
			if (!pending || now > lastDue + DRAIN_NANOS) {
				break;
			}
			long wait = wake - System.nanoTime();
			if (wait > 1_200_000L) {
				// The selector waits in whole milliseconds: wake before the request is due, then spin.
				selector.select(Math.min(100, (wait - 200_000L) / 1_000_000L));
			}
			else if (wake == Long.MAX_VALUE) {
				selector.select(100);
			}
			else {
				selector.selectNow();
			}
			long answered = System.nanoTime();
			for (SelectionKey key : selector.selectedKeys()) {
				((Connection) key.attachment()).readable(buffer, answered);
			}
			selector.selectedKeys().clear();
		}
		double measured = (System.nanoTime() - start) / 1e9 - warmup;
		for (int role = 0; role < 2; role++) {
			Stream stream = streams[role];
			stream.errors += stream.inFlight;
			int n = stream.count;
			long[] sorted = Arrays.copyOf(stream.latencies, n);
			Arrays.sort(sorted);
			System.out.printf("OPENLOOP %s %d %.0f %d %d %s %s %s %s%n", names[role], n, n / measured, stream.non200,
					stream.errors, percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
					(n > 0) ? ms(sorted[n - 1]) : "null");
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

	/** One stream of requests: its tickets, due times, free connections and results. */
	private static final class Stream {

		final byte[] request;

		final long interval;

		final long start;

		final long warmupTickets;

		final long total;

		final long[] latencies;

		final ArrayDeque<Connection> idle = new ArrayDeque<>();

		long next;

		int inFlight;

		int count;

		int non200;

		int errors;

		Stream(byte[] request, double rate, double warmup, double seconds, long start) {
			this.request = request;
			this.interval = Math.round(1e9 / rate);
			this.start = start;
			this.warmupTickets = Math.round(warmup * rate);
			this.total = this.warmupTickets + Math.round(seconds * rate);
			this.latencies = new long[(int) (this.total - this.warmupTickets) + 1];
		}

		long due(long ticket) {
			return this.start + ticket * this.interval;
		}

		void answered(long ticket, long latency, int status) {
			this.inFlight--;
			if (ticket < this.warmupTickets) {
				return;
			}
			if (status == -1) {
				this.errors++;
			}
			else if (status != 200) {
				this.non200++;
			}
			this.latencies[this.count++] = latency;
		}

	}

	/** One keep-alive connection with at most one request outstanding, reopened when it fails or closes. */
	private static final class Connection {

		private final Stream stream;

		private final InetSocketAddress address;

		private final Selector selector;

		private final byte[] answer = new byte[16384];

		private SocketChannel channel;

		private int length;

		private long ticket = -1;

		private long due;

		Connection(Stream stream, InetSocketAddress address, Selector selector) throws IOException {
			this.stream = stream;
			this.address = address;
			this.selector = selector;
			open();
		}

		private void open() throws IOException {
			this.channel = SocketChannel.open();
			this.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			this.channel.socket().connect(this.address, 10_000);
			this.channel.configureBlocking(false);
			this.channel.register(this.selector, SelectionKey.OP_READ, this);
			this.length = 0;
		}

		void send(long ticket, long due) throws IOException {
			this.ticket = ticket;
			this.due = due;
			this.stream.inFlight++;
			try {
				ByteBuffer out = ByteBuffer.wrap(this.stream.request);
				while (out.hasRemaining()) {
					// A few hundred bytes on an idle connection: the first write takes them all.
					this.channel.write(out);
				}
			}
			catch (IOException ex) {
				fail(System.nanoTime());
			}
		}

		void readable(ByteBuffer buffer, long now) throws IOException {
			buffer.clear();
			int read;
			try {
				read = this.channel.read(buffer);
			}
			catch (IOException ex) {
				read = -1;
			}
			if (read < 0) {
				fail(now);
				return;
			}
			buffer.flip();
			int copy = Math.min(buffer.remaining(), this.answer.length - this.length);
			buffer.get(this.answer, this.length, copy);
			this.length += copy;
			if (this.ticket < 0) {
				this.length = 0;
				return;
			}
			int headerEnd = indexOf(this.answer, 0, this.length, "\r\n\r\n");
			if (headerEnd < 0) {
				return;
			}
			String head = new String(this.answer, 0, headerEnd, StandardCharsets.US_ASCII).toLowerCase();
			int at = head.indexOf("content-length:");
			boolean complete;
			if (at >= 0) {
				int end = head.indexOf('\r', at);
				int contentLength = Integer.parseInt(head.substring(at + 15, (end < 0) ? head.length() : end).trim());
				complete = this.length >= headerEnd + 4 + contentLength;
			}
			else {
				complete = indexOf(this.answer, headerEnd, this.length, "\r\n0\r\n\r\n") >= 0;
			}
			if (!complete) {
				return;
			}
			int status = Integer.parseInt(head.substring(9, 12));
			long ticket = this.ticket;
			this.ticket = -1;
			this.length = 0;
			this.stream.answered(ticket, now - this.due, status);
			if (head.contains("connection: close")) {
				reopen();
			}
			this.stream.idle.add(this);
		}

		private void fail(long now) throws IOException {
			long ticket = this.ticket;
			this.ticket = -1;
			reopen();
			if (ticket >= 0) {
				this.stream.answered(ticket, now - this.due, -1);
				this.stream.idle.add(this);
			}
		}

		private void reopen() throws IOException {
			this.channel.close();
			open();
		}

		private static int indexOf(byte[] buffer, int from, int length, String pattern) {
			outer: for (int i = from; i + pattern.length() <= length; i++) {
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
