package org.vipgate.gateway.services.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonTextTest {

    @Test
    void reprLikePython() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", null);
        map.put("b", Arrays.asList(true, false, 3, "it's", "say \"x\""));
        assertThat(PythonText.repr(map)).isEqualTo("{'a': None, 'b': [True, False, 3, \"it's\", 'say \"x\"']}");
        assertThat(PythonText.repr(List.of())).isEqualTo("[]");
        assertThat(PythonText.str("plain")).isEqualTo("plain");
        assertThat(PythonText.reprSortedSet(List.of("b", "a"))).isEqualTo("{'a', 'b'}");
        assertThat(PythonText.reprSortedSet(List.of())).isEqualTo("set()");
    }

    @Test
    void floatsLikePython() {
        assertThat(PythonText.pyFloat(1.0)).isEqualTo("1.0");
        assertThat(PythonText.pyFloat(-2.5)).isEqualTo("-2.5");
        assertThat(PythonText.pyFloat(0.0001)).isEqualTo("0.0001");
        assertThat(PythonText.pyFloat(0.00001)).isEqualTo("1e-05");
        assertThat(PythonText.pyFloat(1e16)).isEqualTo("1e+16");
        assertThat(PythonText.pyFloat(1234567.0)).isEqualTo("1234567.0");
        assertThat(PythonText.pyFloat(1.5e20)).isEqualTo("1.5e+20");
        assertThat(PythonText.pyFloat(Double.NaN)).isEqualTo("nan");
        assertThat(PythonText.pyFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void equalityLikePython() {
        assertThat(PythonText.pyEquals(1, 1.0)).isTrue();
        assertThat(PythonText.pyEquals(1L, true)).isTrue();
        assertThat(PythonText.pyEquals(0, false)).isTrue();
        assertThat(PythonText.pyEquals("1", 1)).isFalse();
        assertThat(PythonText.pyEquals(Double.NaN, Double.NaN)).isFalse();
        assertThat(PythonText.pyEquals(Map.of("a", List.of(1)), Map.of("a", List.of(1.0)))).isTrue();
        assertThat(PythonText.pyEquals(null, null)).isTrue();
        assertThat(PythonText.pyEquals(null, "x")).isFalse();
    }
}
