//! SHA-256 (FIPS 180-4) for the config hash, the per-dataset checksums and the
//! checkpoint digests: a thin wrapper over the `sha2` crate (RustCrypto), which
//! keeps the small API this crate has always exported.

use sha2::Digest;

/// Incremental SHA-256 hasher.
#[derive(Debug, Clone, Default)]
pub struct Sha256 {
    inner: sha2::Sha256,
}

impl Sha256 {
    /// A hasher over the empty message.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The 32-byte digest of everything fed.
    pub fn finalize(self) -> [u8; 32] {
        self.inner.finalize().into()
    }

    /// Lower-case hex digest of everything fed so far (the hasher goes on).
    pub fn hex_so_far(&self) -> String {
        to_hex(&self.clone().finalize())
    }

    /// Lower-case hex digest of `data`, as `sha256sum` prints it.
    pub fn hex_digest(data: &[u8]) -> String {
        to_hex(&sha2::Sha256::digest(data))
    }

    /// Feed f64 values as little-endian IEEE bytes (what `numpy.dtype('<f8')`
    /// holds), the byte image every f64 checksum of SCHEMA.md is taken over.
    pub fn update_f64(&mut self, values: &[f64]) {
        let mut buf = Vec::with_capacity(values.len().min(8192) * 8);
        for block in values.chunks(8192) {
            buf.clear();
            for v in block {
                buf.extend_from_slice(&v.to_le_bytes());
            }
            self.inner.update(&buf);
        }
    }

    /// Feed u64 values as little-endian bytes.
    pub fn update_u64(&mut self, values: &[u64]) {
        for v in values {
            self.inner.update(v.to_le_bytes());
        }
    }

    /// Feed i64 values as little-endian bytes.
    pub fn update_i64(&mut self, values: &[i64]) {
        for v in values {
            self.inner.update(v.to_le_bytes());
        }
    }
}

/// Lower-case hex of bytes.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::Sha256;

    // NIST FIPS 180-4 examples (and the empty message from `sha256sum /dev/null`).
    #[test]
    fn nist_vectors() {
        assert_eq!(
            Sha256::hex_digest(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            Sha256::hex_digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            Sha256::hex_digest(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn million_a_fed_in_odd_pieces() {
        let mut h = Sha256::new();
        let piece = [b'a'; 997];
        let mut left = 1_000_000usize;
        while left > 0 {
            let n = left.min(piece.len());
            h.update(&piece[..n]);
            left -= n;
        }
        assert_eq!(
            h.hex_so_far(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn f64_image_is_little_endian_ieee() {
        let mut a = Sha256::new();
        a.update_f64(&[1.0, -0.5]);
        let mut b = Sha256::new();
        b.update(&1.0f64.to_le_bytes());
        b.update(&(-0.5f64).to_le_bytes());
        assert_eq!(a.finalize(), b.finalize());
    }
}
