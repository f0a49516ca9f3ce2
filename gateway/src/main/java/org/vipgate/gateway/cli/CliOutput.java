package org.vipgate.gateway.cli;

import java.io.PrintWriter;
import java.util.List;

/** Plain-text tables and error lines for the commands that print to a terminal. */
final class CliOutput {

    /** Spaces between columns. */
    private static final int GAP = 2;

    private CliOutput() {
    }

    /** Prints {@code header} and {@code rows} as left-aligned columns as wide as their widest cell. */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(header, widths));
        for (List<String> row : rows) {
            out.println(line(row, widths));
        }
        out.flush();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(cells.get(i));
            if (i < cells.size() - 1) {
                sb.append(" ".repeat(widths[i] - cells.get(i).length() + GAP));
            }
        }
        return sb.toString();
    }

    /** Prints {@code vipgate: <message>} on stderr and returns {@code exitCode}. */
    static int fail(PrintWriter err, String message, int exitCode) {
        err.println("vipgate: " + message);
        err.flush();
        return exitCode;
    }
}
