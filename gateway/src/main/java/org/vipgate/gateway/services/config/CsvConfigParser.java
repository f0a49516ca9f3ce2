package org.vipgate.gateway.services.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code csv} config as VOLTTRON does, with Python's {@code csv.DictReader} in the default {@code excel}
 * dialect over the text split into lines at {@code \n} (docs/protocol/platform-services.md, configuration store
 * types).
 *
 * <ul>
 *   <li>The first record is the header, even when it is empty (a blank first line gives no column names).</li>
 *   <li>Every later record becomes an object from column name to cell text. Blank lines are skipped.</li>
 *   <li>A short record gives {@code null} for the missing columns; cells beyond the header go, as a list, under
 *       the key {@code "null"} (Python's {@code None} key as JSON writes it). A column name that repeats keeps the
 *       last cell, at the place of its first.</li>
 *   <li>Fields are separated by {@code ,}; a field that starts with {@code "} is quoted: it may hold commas and
 *       line breaks, and {@code ""} stands for one quote. Text after a closing quote is added to the field. A
 *       quote inside an unquoted field is an ordinary character. Spaces are kept.</li>
 *   <li>A record ends at the end of a line; {@code \r} or {@code \n} outside quotes ends it too, but then only
 *       line breaks may follow on that line, else a {@code _csv.Error} as in Python. A field longer than
 *       {@value #FIELD_LIMIT} characters is a {@code _csv.Error} too.</li>
 * </ul>
 */
final class CsvConfigParser {

    /** Python's default {@code csv.field_size_limit()}. */
    static final int FIELD_LIMIT = 131072;

    private enum State { START_RECORD, START_FIELD, IN_FIELD, IN_QUOTED_FIELD, QUOTE_IN_QUOTED_FIELD, EAT_CRNL }

    private CsvConfigParser() {
    }

    static JsonNode parse(String text) throws ConfigStoreException {
        List<List<String>> records = records(text);
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        if (records.isEmpty()) {
            return rows;
        }
        List<String> header = records.get(0);
        for (List<String> record : records.subList(1, records.size())) {
            if (record.isEmpty()) {
                continue;
            }
            ObjectNode row = JsonNodeFactory.instance.objectNode();
            int paired = Math.min(header.size(), record.size());
            for (int i = 0; i < paired; i++) {
                row.put(header.get(i), record.get(i));
            }
            if (record.size() > header.size()) {
                ArrayNode rest = row.putArray("null");
                record.subList(header.size(), record.size()).forEach(rest::add);
            } else {
                for (String missing : header.subList(record.size(), header.size())) {
                    row.putNull(missing);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** Every record, blank ones as empty lists, as Python's csv reader returns them. */
    private static List<List<String>> records(String text) throws ConfigStoreException {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        State state = State.START_RECORD;
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int lf = text.indexOf('\n', pos);
            int lineEnd = lf < 0 ? n : lf + 1;
            for (int i = pos; i < lineEnd; i++) {
                state = step(state, text.charAt(i), fields, field);
            }
            state = endOfLine(state, fields, field);
            pos = lineEnd;
            if (state == State.START_RECORD) {
                records.add(fields);
                fields = new ArrayList<>();
            }
        }
        if (state != State.START_RECORD) {
            // Python: an open quoted field at the end of the text still makes a record (non-strict dialect).
            fields.add(field.toString());
            records.add(fields);
        }
        return records;
    }

    private static State step(State state, char c, List<String> fields, StringBuilder field)
            throws ConfigStoreException {
        boolean lineBreak = c == '\n' || c == '\r';
        switch (state) {
            case START_RECORD:
                if (lineBreak) {
                    return State.EAT_CRNL;
                }
                return step(State.START_FIELD, c, fields, field);
            case START_FIELD:
                if (lineBreak) {
                    save(fields, field);
                    return State.EAT_CRNL;
                }
                if (c == '"') {
                    return State.IN_QUOTED_FIELD;
                }
                if (c == ',') {
                    save(fields, field);
                    return State.START_FIELD;
                }
                add(field, c);
                return State.IN_FIELD;
            case IN_FIELD:
                if (lineBreak) {
                    save(fields, field);
                    return State.EAT_CRNL;
                }
                if (c == ',') {
                    save(fields, field);
                    return State.START_FIELD;
                }
                add(field, c);
                return State.IN_FIELD;
            case IN_QUOTED_FIELD:
                if (c == '"') {
                    return State.QUOTE_IN_QUOTED_FIELD;
                }
                add(field, c);
                return State.IN_QUOTED_FIELD;
            case QUOTE_IN_QUOTED_FIELD:
                if (c == '"') {
                    add(field, c);
                    return State.IN_QUOTED_FIELD;
                }
                if (c == ',') {
                    save(fields, field);
                    return State.START_FIELD;
                }
                if (lineBreak) {
                    save(fields, field);
                    return State.EAT_CRNL;
                }
                add(field, c);
                return State.IN_FIELD;
            case EAT_CRNL:
                if (lineBreak) {
                    return State.EAT_CRNL;
                }
                throw ConfigStoreException.csvError(
                        "new-line character seen in unquoted field - do you need to open the file in universal-newline mode?");
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private static State endOfLine(State state, List<String> fields, StringBuilder field) {
        switch (state) {
            case START_FIELD, IN_FIELD, QUOTE_IN_QUOTED_FIELD:
                save(fields, field);
                return State.START_RECORD;
            case IN_QUOTED_FIELD:
                return State.IN_QUOTED_FIELD; // the line break itself is already in the field
            default:
                return State.START_RECORD; // START_RECORD (never at a line's end) and EAT_CRNL
        }
    }

    private static void add(StringBuilder field, char c) throws ConfigStoreException {
        if (field.length() >= FIELD_LIMIT) {
            throw ConfigStoreException.csvError("field larger than field limit (" + FIELD_LIMIT + ")");
        }
        field.append(c);
    }

    private static void save(List<String> fields, StringBuilder field) {
        fields.add(field.toString());
        field.setLength(0);
    }
}
