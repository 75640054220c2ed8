//! The arithmetic every seekable view over an original shares (the
//! player's decoder input, a bundle entry read in place, a silenced copy):
//! where a `SeekFrom` lands, refusing positions before the start.

use std::io::SeekFrom;

/// The absolute position `to` names, from `pos` in a stream of `len` bytes.
pub fn resolve(to: SeekFrom, pos: u64, len: u64) -> std::io::Result<u64> {
    let target = match to {
        SeekFrom::Start(n) => n as i128,
        SeekFrom::End(d) => len as i128 + d as i128,
        SeekFrom::Current(d) => pos as i128 + d as i128,
    };
    u64::try_from(target).map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_land_where_asked_and_never_before_the_start() {
        assert_eq!(resolve(SeekFrom::Start(7), 3, 10).unwrap(), 7);
        assert_eq!(resolve(SeekFrom::End(-2), 3, 10).unwrap(), 8);
        assert_eq!(resolve(SeekFrom::Current(4), 3, 10).unwrap(), 7);
        assert_eq!(resolve(SeekFrom::End(5), 0, 10).unwrap(), 15, "past the end is allowed, as for files");
        assert!(resolve(SeekFrom::Current(-4), 3, 10).is_err());
    }
}
