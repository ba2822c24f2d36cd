package dev.mlcanary.system;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Says what is wrong with a request path that the edge refuses: Tomcat (an encoded slash
 * or backslash) or Spring Security's {@code StrictHttpFirewall} (an empty segment, a path
 * parameter, an encoded period, a dot segment, an encoded percent sign or control
 * character). Each is refused because two spellings of one path could otherwise be
 * matched differently by the security rules and by the controllers; the answer names the
 * part to remove and, where it is clear, the path to send instead.
 */
final class RequestPaths {

	/** Longest path quoted in a detail; {@code instance} always has the whole of it. */
	private static final int QUOTED = 200;

	private RequestPaths() {
	}

	/**
	 * @param path the path as sent: undecoded, with its path parameters
	 * @return the detail of a refusal, or empty if the path has none of the problems
	 * above
	 */
	static Optional<String> problem(String path) {
		String lower = path.toLowerCase(Locale.ROOT);
		String quoted = "The path '" + (path.length() > QUOTED ? path.substring(0, QUOTED) + "..." : path) + "'";
		String detail = null;
		if (lower.contains("%2f")) {
			detail = quoted
					+ " has an encoded slash ('%2F'); encoded slashes are not accepted: separate segments with a plain '/'.";
		}
		else if (lower.contains("\\") || lower.contains("%5c")) {
			detail = quoted
					+ " has a backslash ('\\' or '%5C'); backslashes are not accepted: separate segments with '/'.";
		}
		else if (path.contains("//")) {
			detail = quoted + " is not canonical: remove the empty segment ('//')" + instead(path) + ".";
		}
		else if (lower.contains(";") || lower.contains("%3b")) {
			detail = quoted + " has a path parameter (';'); path parameters are not accepted" + instead(path) + ".";
		}
		else if (lower.contains("%2e")) {
			detail = quoted
					+ " has an encoded period ('%2e'); encoded periods and '.' or '..' segments are not accepted"
					+ instead(path) + ".";
		}
		else if (Arrays.stream(path.split("/", -1)).anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
			detail = quoted + " is not canonical: remove the '.' and '..' segments" + instead(path) + ".";
		}
		else if (lower.contains("%25")) {
			detail = quoted + " has an encoded percent sign ('%25'), which is not accepted in a path.";
		}
		else if (lower.contains("%00") || lower.contains("%0a") || lower.contains("%0d")) {
			detail = quoted
					+ " has an encoded control character ('%00', '%0A' or '%0D'), which is not accepted in a path.";
		}
		return Optional.ofNullable(detail);
	}

	/**
	 * {@code ": send '/admin/status'"}: the path without empty segments, path parameters
	 * and dot segments, if that is a path this class finds nothing wrong with; empty
	 * otherwise.
	 */
	private static String instead(String path) {
		String canonical = path.replaceAll("(?i)(;|%3b)[^/]*", "").replaceAll("(?i)%2e", ".").replaceAll("/{2,}", "/");
		try {
			canonical = new URI(canonical).normalize().getRawPath();
		}
		catch (URISyntaxException ex) {
			return "";
		}
		boolean fine = canonical.startsWith("/") && !canonical.equals(path) && problem(canonical).isEmpty()
				&& !canonical.contains("/../") && !canonical.endsWith("/..");
		return fine ? ": send '" + canonical + "'" : "";
	}

}
