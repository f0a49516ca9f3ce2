package org.vipgate.certs.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Argon2id in passlib's / argon2-cffi's PHC form. */
class AdminPasswordsTest {

    /** From argon2-cffi's README: what passlib (VOLTTRON) writes with today's defaults. */
    private static final String ARGON2_CFFI_EXAMPLE =
            "$argon2id$v=19$m=65536,t=3,p=4$MIIRqgvgQbgj220jfp0MPA$YfwJSVjtjSU0zzV/P3S9nnQ/USre2wvJMjfCIjrTQbg";

    private final Argon2Passwords small = new Argon2Passwords(new Argon2Passwords.Params(1024, 1, 1));

    @Test
    void verifiesAHashMadeByArgon2Cffi() {
        Argon2Passwords passwords = new Argon2Passwords(Argon2Passwords.Params.DEFAULT);
        assertThat(passwords.verify("correct horse battery staple".toCharArray(), ARGON2_CFFI_EXAMPLE)).isTrue();
        assertThat(passwords.verify("Tr0ub4dor&3".toCharArray(), ARGON2_CFFI_EXAMPLE)).isFalse();
    }

    @Test
    void hashesInPhcFormWithTheConfiguredCost() {
        String hash = new Argon2Passwords(Argon2Passwords.Params.DEFAULT).hash("s3cret-pass".toCharArray());
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=65536,t=3,p=4\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void roundTripAndWrongPassword() {
        String hash = small.hash("pässwörd-1".toCharArray());
        assertThat(small.verify("pässwörd-1".toCharArray(), hash)).isTrue();
        assertThat(small.verify("pässwörd-2".toCharArray(), hash)).isFalse();
    }

    @Test
    void unreadableHashesAreFalseNotErrors() {
        for (String bad : new String[] {null, "", "plain", "$argon2id$v=19$m=x,t=1,p=1$AAAA$AAAA",
                "$bcrypt$v=19$m=1024,t=1,p=1$MIIRqgvgQbgj220jfp0MPA$YfwJSVjtjSU0zzV",
                "$argon2id$v=19$m=4194304,t=1,p=1$MIIRqgvgQbgj220jfp0MPA$YfwJSVjtjSU0zzV/P3S9nnQ"}) {
            assertThat(small.verify("x".toCharArray(), bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
