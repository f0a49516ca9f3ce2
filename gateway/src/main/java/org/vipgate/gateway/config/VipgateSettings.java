package org.vipgate.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.vipgate.certs.CertificateLifetimes;

/**
 * vipgate's own settings, in a {@code [vipgate]} section of {@code $VOLTTRON_HOME/config} (VOLTTRON reads only
 * {@code [volttron]}, so the file stays usable by both). Every key is optional:
 * <pre>
 * [vipgate]
 * csr-auto-allow = false          # sign every CSR with this instance's prefix at once (SUCCESSFUL, §2.2)
 * certificate-days = 365          # lifetime of the certificates vipgate issues
 * ca-certificate-days = 3650      # lifetime of a root CA vipgate creates
 * discovery-ca-file = /etc/ssl/sites.pem  # more CAs to trust when fetching other platforms' /discovery/
 * setup-mode-accept = platforms   # setup mode adds only the keys of discovered platforms; 'any' as VOLTTRON
 * </pre>
 *
 * @param csrAutoAllow    VOLTTRON's {@code auto_allow_csr} (certs-csr-discovery.md §2.2), off by default
 * @param lifetimes       certificate lifetimes
 * @param discoveryCaFile a PEM bundle of CAs trusted, besides Java's own, for the https web addresses of
 *                        {@code external_address.json} (certs-csr-discovery.md §3.3: VOLTTRON verifies them too)
 * @param setupModeAcceptsAny setup mode adds every unknown CURVE key to auth.json, as VOLTTRON does
 *                        (certs-csr-discovery.md §3.3); by default only the serverkeys of the platforms discovered
 */
public record VipgateSettings(boolean csrAutoAllow, CertificateLifetimes lifetimes, Optional<Path> discoveryCaFile,
                              boolean setupModeAcceptsAny) {

    /** The section name. */
    public static final String SECTION = "vipgate";

    /** Defaults: no auto-allow, 3650 days for a CA, 365 for the rest. */
    public static VipgateSettings defaults() {
        return new VipgateSettings(false, CertificateLifetimes.defaults(), Optional.empty(), false);
    }

    /** Reads {@code [vipgate]} of {@code configFile}; defaults when the file or the section is absent. */
    public static VipgateSettings load(Path configFile) throws ConfigException {
        if (!Files.exists(configFile)) {
            return defaults();
        }
        IniFile ini = IniFile.parse(configFile);
        Map<String, String> section = ini.section(SECTION).orElse(Map.of());
        return new VipgateSettings(
                ini.getBoolean(SECTION, "csr-auto-allow", false),
                new CertificateLifetimes(days(ini, section, "ca-certificate-days", CertificateLifetimes.DEFAULT_CA_DAYS),
                        days(ini, section, "certificate-days", CertificateLifetimes.DEFAULT_LEAF_DAYS)),
                caFile(ini, section), setupModeAcceptsAny(ini, section));
    }

    private static boolean setupModeAcceptsAny(IniFile ini, Map<String, String> section) throws ConfigException {
        String raw = section.getOrDefault("setup-mode-accept", "platforms").strip();
        return switch (raw) {
            case "platforms" -> false;
            case "any" -> true;
            default -> throw ConfigException.badValue(ini.file(), ini.location(SECTION, "setup-mode-accept"), raw,
                    "'platforms' (the keys of the platforms discovered) or 'any' (every key, as VOLTTRON)");
        };
    }

    private static Optional<Path> caFile(IniFile ini, Map<String, String> section) throws ConfigException {
        String raw = section.get("discovery-ca-file");
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(raw.strip());
        if (!Files.isReadable(file)) {
            throw ConfigException.badValue(ini.file(), ini.location(SECTION, "discovery-ca-file"), raw,
                    "a readable PEM file of CA certificates");
        }
        return Optional.of(file);
    }

    private static int days(IniFile ini, Map<String, String> section, String key, int fallback)
            throws ConfigException {
        String raw = section.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            int days = Integer.parseInt(raw.strip());
            if (days >= 1 && days <= 36_500) {
                return days;
            }
        } catch (NumberFormatException e) {
            // reported below, with the file and line
        }
        throw ConfigException.badValue(ini.file(), ini.location(SECTION, key), raw, "a whole number of days from 1 to 36500");
    }
}
