package dev.mcpstdio.benchmarks;

/**
 * One line of the results table.
 *
 * @param measure what is measured
 * @param ours mcp-stdio's figure
 * @param stock the MCP Java SDK stdio transport's figure
 * @param floor the floor (hand-written JSON over the pipes, or the children's own exit)
 * @param ratio the comparison that matters, as text
 * @param target the target of the benchmarks issue
 * @param met whether the target is met ({@code -} where the target is {@code -}: figures
 * only)
 */
record Row(String measure, String ours, String stock, String floor, String ratio, String target, boolean met) {

	String markdown() {
		return "| " + this.measure + " | " + this.ours + " | " + this.stock + " | " + this.floor + " | " + this.ratio
				+ " | " + this.target + " | " + ("-".equals(this.target) ? "-" : this.met ? "met" : "**missed**")
				+ " |";
	}

}
