package dev.mcpstdio.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * The names of every property under {@code mcp.stdio}, read from
 * {@link McpStdioProperties} (a {@code *} stands for a key of a map), and the known name
 * nearest to a misspelled one.
 */
final class KnownProperties {

	private static final List<List<String>> names = collect(McpStdioProperties.class, List.of());

	private KnownProperties() {
	}

	/**
	 * The known property nearest to an unknown one, its map keys kept.
	 * @param elements the unknown name's elements below {@code mcp.stdio}
	 * @return the nearest known name below {@code mcp.stdio}, if one is near enough
	 */
	static Optional<String> nearest(List<String> elements) {
		// a list's index is no part of its name: domain[0] is near domains
		int end = elements.size();
		while (end > 1 && elements.get(end - 1).matches("\\d+")) {
			end--;
		}
		List<String> named = elements.subList(0, end);
		String unknown = String.join(".", named);
		return names.stream()
			.map((known) -> instantiate(known, named))
			.map((candidate) -> new Candidate(candidate, distance(unknown, candidate)))
			.filter((candidate) -> candidate.distance() <= Math.max(2, unknown.length() / 4))
			.min(Comparator.comparingInt(Candidate::distance))
			.map(Candidate::name);
	}

	private static String instantiate(List<String> known, List<String> elements) {
		List<String> result = new ArrayList<>();
		for (int i = 0; i < known.size(); i++) {
			result.add("*".equals(known.get(i)) && i < elements.size() ? elements.get(i) : known.get(i));
		}
		return String.join(".", result);
	}

	private static List<List<String>> collect(Class<?> type, List<String> prefix) {
		List<List<String>> result = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
				continue;
			}
			List<String> name = new ArrayList<>(prefix);
			name.add(DataObjectPropertyName.toDashedForm(descriptor.getName()));
			Class<?> propertyType = descriptor.getPropertyType();
			if (Map.class.isAssignableFrom(propertyType)) {
				name.add("*");
				if (descriptor.getName().equals("servers")) {
					result.addAll(collect(McpStdioProperties.Server.class, name));
					continue;
				}
			}
			else if (propertyType.getDeclaringClass() == McpStdioProperties.class && !propertyType.isEnum()) {
				result.addAll(collect(propertyType, name));
				continue;
			}
			result.add(name);
		}
		return result;
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private record Candidate(String name, int distance) {

	}

}
