package org.vipgate.certs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The subject attributes of a certificate, as VOLTTRON takes them from {@code certificate-data} in
 * {@code rabbitmq_config.yml} (certs-csr-discovery.md §1.2). Null or blank values are absent: only the supplied
 * attributes go into the distinguished name, in the order C, ST, L, O, OU, CN.
 *
 * @param country          C
 * @param state            ST
 * @param location         L
 * @param organization     O
 * @param organizationUnit OU
 * @param commonName       CN
 */
public record SubjectData(String country, String state, String location, String organization,
                          String organizationUnit, String commonName) {

    /** The keys of {@code certificate-data} in {@code rabbitmq_config.yml}, in DN order. */
    public static final List<String> CERTIFICATE_DATA_KEYS =
            List.of("country", "state", "location", "organization", "organization-unit", "common-name");

    public SubjectData {
        country = blankToNull(country);
        state = blankToNull(state);
        location = blankToNull(location);
        organization = blankToNull(organization);
        organizationUnit = blankToNull(organizationUnit);
        commonName = blankToNull(commonName);
    }

    /** Only a common name. */
    public static SubjectData ofCommonName(String commonName) {
        return new SubjectData(null, null, null, null, null, commonName);
    }

    /**
     * From the {@code certificate-data} mapping of {@code rabbitmq_config.yml}: keys {@link #CERTIFICATE_DATA_KEYS};
     * other keys are ignored, values are taken as text.
     */
    public static SubjectData fromCertificateData(Map<String, ?> data) {
        return new SubjectData(text(data.get("country")), text(data.get("state")), text(data.get("location")),
                text(data.get("organization")), text(data.get("organization-unit")), text(data.get("common-name")));
    }

    /** The attributes of {@code name} this record knows (other attributes are dropped). */
    public static SubjectData fromX500Name(X500Name name) {
        return new SubjectData(first(name, BCStyle.C), first(name, BCStyle.ST), first(name, BCStyle.L),
                first(name, BCStyle.O), first(name, BCStyle.OU), first(name, BCStyle.CN));
    }

    /** The same attributes with the common name replaced (VOLTTRON's leaf subjects, §1.3). */
    public SubjectData withCommonName(String newCommonName) {
        return new SubjectData(country, state, location, organization, organizationUnit, newCommonName);
    }

    /** The distinguished name: the supplied attributes in the order C, ST, L, O, OU, CN (§1.2). */
    public X500Name toX500Name() {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (Attribute a : attributes()) {
            builder.addRDN(a.type(), a.value());
        }
        return builder.build();
    }

    /**
     * The key VOLTTRON's CA database uses for this subject (§1.3 {@code update_ca_db}):
     * {@code C=../ST=../L=../O=../OU=../CN=..}, here with only the supplied attributes.
     */
    public String caDatabaseKey() {
        List<String> parts = new ArrayList<>();
        for (Attribute a : attributes()) {
            parts.add(a.label() + "=" + a.value());
        }
        return String.join("/", parts);
    }

    private List<Attribute> attributes() {
        List<Attribute> list = new ArrayList<>();
        add(list, "C", BCStyle.C, country);
        add(list, "ST", BCStyle.ST, state);
        add(list, "L", BCStyle.L, location);
        add(list, "O", BCStyle.O, organization);
        add(list, "OU", BCStyle.OU, organizationUnit);
        add(list, "CN", BCStyle.CN, commonName);
        return list;
    }

    private record Attribute(String label, ASN1ObjectIdentifier type, String value) {
    }

    private static void add(List<Attribute> list, String label, ASN1ObjectIdentifier type, String value) {
        if (value != null) {
            list.add(new Attribute(label, type, value));
        }
    }

    private static String first(X500Name name, ASN1ObjectIdentifier type) {
        for (RDN rdn : name.getRDNs(type)) {
            for (AttributeTypeAndValue tv : rdn.getTypesAndValues()) {
                if (tv.getType().equals(type)) {
                    return IETFUtils.valueToString(tv.getValue());
                }
            }
        }
        return null;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
