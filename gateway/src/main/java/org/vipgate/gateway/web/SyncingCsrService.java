package org.vipgate.gateway.web;

import java.util.List;
import java.util.Optional;
import org.vipgate.certs.csr.CsrException;
import org.vipgate.certs.csr.CsrRecord;
import org.vipgate.certs.csr.CsrReply;
import org.vipgate.certs.csr.CsrService;

/** A CSR service that asks for a RabbitMQ user sync after a denial or deletion (approvals fire the store's event). */
final class SyncingCsrService implements CsrService {

    private final CsrService delegate;
    private final Runnable afterChange;

    SyncingCsrService(CsrService delegate, Runnable afterChange) {
        this.delegate = delegate;
        this.afterChange = afterChange;
    }

    @Override
    public CsrReply requestNew(String csrPem, String remoteAddress) {
        return delegate.requestNew(csrPem, remoteAddress);
    }

    @Override
    public List<CsrRecord> list() {
        return delegate.list();
    }

    @Override
    public CsrRecord approve(String commonName) throws CsrException {
        return delegate.approve(commonName); // the store's approval event already asks for the sync
    }

    @Override
    public CsrRecord deny(String commonName) throws CsrException {
        CsrRecord r = delegate.deny(commonName);
        afterChange.run();
        return r;
    }

    @Override
    public void delete(String commonName) throws CsrException {
        delegate.delete(commonName);
        afterChange.run();
    }

    @Override
    public Optional<String> certificate(String commonName) {
        return delegate.certificate(commonName);
    }
}
