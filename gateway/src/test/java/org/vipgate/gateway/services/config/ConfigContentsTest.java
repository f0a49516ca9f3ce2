package org.vipgate.gateway.services.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Expected values were taken from CPython 3.11 ({@code json.loads} after VOLTTRON's comment stripping, csv). */
class ConfigContentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws ConfigStoreException {
        return ConfigContents.parse(ConfigType.JSON, text);
    }

    private static JsonNode csv(String text) throws ConfigStoreException {
        return ConfigContents.parse(ConfigType.CSV, text);
    }

    private static ConfigStoreException failure(ConfigType type, String text) {
        return catchThrowableOfType(ConfigStoreException.class, () -> ConfigContents.parse(type, text));
    }

    @Nested
    class Json {

        @Test
        void stripsAllThreeCommentKindsOutsideStrings() throws Exception {
            JsonNode value = json("{\"a\": 1, # hash\n \"b\": [1, /* block */ 2] // line\n}");

            assertThat(value.toString()).isEqualTo("{\"a\":1,\"b\":[1,2]}");
        }

        @Test
        void keepsCommentMarkersInsideStrings() throws Exception {
            assertThat(json("{\"a\": \"x // y # z /* w */\"} // c").get("a").textValue())
                    .isEqualTo("x // y # z /* w */");
            assertThat(json("{\"a\":\"q\\\"#x\"}#").get("a").textValue()).isEqualTo("q\"#x");
            assertThat(json("{\"url\": \"http://host/#frag\"}").get("url").textValue())
                    .isEqualTo("http://host/#frag");
        }

        @Test
        void anApostropheInACommentDoesNotOpenAString() throws Exception {
            assertThat(json("{\"a\": \"it's\"} # don't").get("a").textValue()).isEqualTo("it's");
        }

        @Test
        void aBlockCommentLeavesNothingBehindAsInVolttron() throws Exception {
            assertThat(json("[1/**/2]").toString()).isEqualTo("[12]");
        }

        @Test
        void acceptsNanAndInfinitiesAndKeepsTheLastDuplicateKey() throws Exception {
            JsonNode value = json("{\"a\": NaN, \"b\": -Infinity, \"c\": Infinity, \"a\": 3}");

            assertThat(value.get("a").intValue()).isEqualTo(3);
            assertThat(value.get("b").doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(value.get("c").doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(json("[NaN]").get(0).doubleValue()).isNaN();
            assertThat(value.fieldNames()).toIterable().containsExactly("a", "b", "c");
        }

        @Test
        void keepsIntegersAndFloatsApartAndBigIntegersWhole() throws Exception {
            JsonNode value = json("[1, 1.0, 12345678901234567890123]");

            assertThat(value.get(0).isIntegralNumber()).isTrue();
            assertThat(value.get(1).isFloatingPointNumber()).isTrue();
            assertThat(value.get(2).bigIntegerValue().toString()).isEqualTo("12345678901234567890123");
        }

        @Test
        void rejectsWhatPythonRejectsThoughJacksonWouldAccept() {
            for (String text : new String[] {"[+1]", "[-INF]", "[+Infinity]", "[+INF]"}) {
                ConfigStoreException e = failure(ConfigType.JSON, text);
                assertThat(e.excType()).as(text).isEqualTo("json.decoder.JSONDecodeError");
                assertThat(e.detail()).as(text).isEqualTo("Expecting value: line 1 column 2 (char 1)");
            }
        }

        @Test
        void aScalarIsAValueError() {
            for (String text : new String[] {"3", "\"text\"", "null", "true"}) {
                ConfigStoreException e = failure(ConfigType.JSON, text);
                assertThat(e.excType()).isEqualTo("builtins.ValueError");
                assertThat(e.detail()).isEqualTo("Configuration must be a list or object.");
            }
        }

        @Test
        void aSyntaxErrorSaysWhereInTheTextAsWritten() {
            ConfigStoreException e = failure(ConfigType.JSON, "{\"a\":\n tru}");

            assertThat(e.excType()).isEqualTo("json.decoder.JSONDecodeError");
            assertThat(e.detail()).endsWith(": line 2 column 5 (char 10)").contains("tru");
        }

        @Test
        void anUnclosedArrayIsReportedOnOneLineWithoutJacksonsSourceNote() {
            ConfigStoreException e = failure(ConfigType.JSON, "[1,\n 2");

            assertThat(e.detail()).startsWith("Unexpected end-of-input").endsWith(": line 2 column 3 (char 6)")
                    .doesNotContain("Source").doesNotContain("\n");
        }

        @Test
        void positionsCountTheCommentsThatWereRemoved() {
            ConfigStoreException e = failure(ConfigType.JSON, "/* one\ntwo */ {\"a\": # x\n ]}");

            assertThat(e.detail()).contains(": line 3 column 2 (char 25)");
        }

        @Test
        void emptyOrOnlyCommentsExpectsAValue() {
            assertThat(failure(ConfigType.JSON, "").detail()).isEqualTo("Expecting value: line 1 column 1 (char 0)");
            assertThat(failure(ConfigType.JSON, " ").detail()).isEqualTo("Expecting value: line 1 column 2 (char 1)");
            assertThat(failure(ConfigType.JSON, "# only").excType()).isEqualTo("json.decoder.JSONDecodeError");
        }

        @Test
        void extraDataAfterTheValueIsAnError() {
            ConfigStoreException e = failure(ConfigType.JSON, "[1] [2]");

            assertThat(e.detail()).isEqualTo("Extra data: line 1 column 5 (char 4)");
        }

        @Test
        void anUnterminatedBlockCommentIsKeptAndFailsToParse() {
            assertThat(failure(ConfigType.JSON, "/* open").excType()).isEqualTo("json.decoder.JSONDecodeError");
        }
    }

    @Nested
    class Csv {

        @Test
        void rowsBecomeObjectsOfStringsKeyedByTheHeader() throws Exception {
            assertThat(csv("a,b\n1,2\n")).isEqualTo(JSON.readTree("[{\"a\":\"1\",\"b\":\"2\"}]"));
        }

        @Test
        void blankLinesAreSkippedAndCrLfWorks() throws Exception {
            assertThat(csv("a,b\r\n1,2\r\n\r\n3,4")).isEqualTo(JSON.readTree(
                    "[{\"a\":\"1\",\"b\":\"2\"},{\"a\":\"3\",\"b\":\"4\"}]"));
        }

        @Test
        void aShortRowGivesNullForTheMissingColumns() throws Exception {
            JsonNode rows = csv("a,b\n\n1\n");

            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("a").textValue()).isEqualTo("1");
            assertThat(rows.get(0).get("b").isNull()).isTrue();
        }

        @Test
        void extraCellsGoInAListUnderNull() throws Exception {
            assertThat(csv("a,b\n1,2,3,4\n").toString())
                    .isEqualTo("[{\"a\":\"1\",\"b\":\"2\",\"null\":[\"3\",\"4\"]}]");
        }

        @Test
        void aBlankFirstLineIsAnEmptyHeader() throws Exception {
            assertThat(csv("\na,b\n1,2\n").toString())
                    .isEqualTo("[{\"null\":[\"a\",\"b\"]},{\"null\":[\"1\",\"2\"]}]");
        }

        @Test
        void quotedFieldsHoldCommasQuotesAndLineBreaks() throws Exception {
            JsonNode rows = csv("a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n\"multi\nline\",2\n");

            assertThat(rows.get(0).get("a").textValue()).isEqualTo("x,y");
            assertThat(rows.get(0).get("b").textValue()).isEqualTo("he said \"hi\"");
            assertThat(rows.get(1).get("a").textValue()).isEqualTo("multi\nline");
        }

        @Test
        void spacesAndStrayQuotesAreKeptAsPythonDoes() throws Exception {
            assertThat(csv("a,b\n x , y \n").toString()).isEqualTo("[{\"a\":\" x \",\"b\":\" y \"}]");
            assertThat(csv("a,b\n\"ab\"cd,e\"f\n").toString()).isEqualTo("[{\"a\":\"abcd\",\"b\":\"e\\\"f\"}]");
        }

        @Test
        void aRepeatedColumnKeepsTheLastCell() throws Exception {
            assertThat(csv("a,a,b\n1,2,3\n").toString()).isEqualTo("[{\"a\":\"2\",\"b\":\"3\"}]");
            assertThat(csv("a,a,b\n1\n").toString()).isEqualTo("[{\"a\":null,\"b\":null}]");
        }

        @Test
        void emptyTextOrOnlyAHeaderIsAnEmptyList() throws Exception {
            assertThat(csv("")).isEmpty();
            assertThat(csv("a,b")).isEmpty();
        }

        @Test
        void anOpenQuoteAtTheEndStillMakesARow() throws Exception {
            assertThat(csv("a\n\"unterminated\n").toString()).isEqualTo("[{\"a\":\"unterminated\\n\"}]");
            assertThat(csv("a,b\n1,\n").toString()).isEqualTo("[{\"a\":\"1\",\"b\":\"\"}]");
        }

        @Test
        void aBareCarriageReturnInsideALineIsACsvError() {
            ConfigStoreException e = failure(ConfigType.CSV, "a,b\r1,2\n");

            assertThat(e.excType()).isEqualTo("_csv.Error");
            assertThat(e.detail()).startsWith("new-line character seen in unquoted field");
        }

        @Test
        void aFieldOverPythonsLimitIsACsvError() {
            String big = "a\n" + "x".repeat(CsvConfigParser.FIELD_LIMIT + 1) + "\n";

            assertThat(failure(ConfigType.CSV, big).detail()).isEqualTo("field larger than field limit (131072)");
        }
    }

    @Test
    void rawIsTheTextAsAJsonString() throws Exception {
        JsonNode value = ConfigContents.parse(ConfigType.RAW, "not json # at all");

        assertThat(value.isTextual()).isTrue();
        assertThat(value.textValue()).isEqualTo("not json # at all");
    }

    @Test
    void typesParseOnlyByTheirExactWireName() throws Exception {
        assertThat(ConfigType.parse("json")).isEqualTo(ConfigType.JSON);
        assertThat(ConfigType.parse("csv")).isEqualTo(ConfigType.CSV);
        assertThat(ConfigType.parse("raw")).isEqualTo(ConfigType.RAW);
        for (String bad : new String[] {"JSON", "yaml", "", null}) {
            ConfigStoreException e = catchThrowableOfType(ConfigStoreException.class, () -> ConfigType.parse(bad));
            assertThat(e.excType()).isEqualTo("builtins.ValueError");
            assertThat(e.detail()).isEqualTo("Unsupported configuration type.");
        }
    }
}
