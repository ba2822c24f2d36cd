import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;

/**
 * The floor under the service's CPU per request (isolation.sh, part A): the same embedded
 * Tomcat that the service runs (its tomcat-embed-core jar, taken from the service's jar),
 * with one servlet that reads the request body and answers a fixed JSON body. No Spring,
 * no filters, no JSON parsing, no model. What the service spends per request above this
 * is its own; up to this is Tomcat's HTTP/1.1 handling on this JDK and machine.
 *
 * <p>
 * Usage: {@code java -cp tomcat-embed-core.jar:DIR TomcatFloor PORT BODY_FILE BASE_DIR
 * [virtual|platform]}. Listens on 127.0.0.1 only. {@code virtual} runs each request on a
 * virtual thread (Tomcat's own executor, as Spring Boot sets it up; Java 21 or newer).
 */
public final class TomcatFloor {

	private TomcatFloor() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		byte[] body = Files.readString(Path.of(args[1])).strip().getBytes(StandardCharsets.UTF_8);
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(args[2]);
		Connector connector = new Connector("HTTP/1.1");
		connector.setPort(port);
		connector.setProperty("address", "127.0.0.1");
		if (args.length > 3 && args[3].equals("virtual")) {
			connector.getProtocolHandler().setExecutor(new VirtualThreadExecutor("floor-"));
		}
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", null);
		Tomcat.addServlet(context, "answer", new HttpServlet() {
			@Override
			protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
				request.getInputStream().readAllBytes();
				response.setContentType("application/json");
				response.setContentLength(body.length);
				response.getOutputStream().write(body);
			}
		});
		context.addServletMappingDecoded("/predict", "answer");
		tomcat.start();
		if (!connector.getState().isAvailable()) {
			// Tomcat logs a port it could not bind and carries on without it.
			System.err.println("TomcatFloor: 127.0.0.1:" + port + " could not be opened");
			System.exit(3);
		}
		System.out.println("TomcatFloor listening on 127.0.0.1:" + port);
		tomcat.getServer().await();
	}

}
