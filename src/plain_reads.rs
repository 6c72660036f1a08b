//! An index folder whose document stores are read with plain reads instead of memory maps.
//!
//! A reader that goes through every stored article (an export) would otherwise map each
//! segment's whole `.store` file, and every page it touched would stay in its resident memory
//! until it exits: memory growing with the archive. Read block by block, the store costs only
//! the blocks in tantivy's cache. Everything else (files, locks, watching) is the
//! [`MmapDirectory`]'s.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// A [`MmapDirectory`] that hands out `.store` files as plain files.
#[derive(Debug, Clone)]
pub struct PlainStoreDirectory {
    root: PathBuf,
    mapped: MmapDirectory,
}

impl PlainStoreDirectory {
    pub fn open(
        root: &Path,
    ) -> Result<PlainStoreDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(PlainStoreDirectory {
            root: root.to_path_buf(),
            mapped: MmapDirectory::open(root)?,
        })
    }
}

/// One open file, read with positioned reads (no shared cursor, so threads may share it).
#[derive(Debug)]
struct PlainFile {
    file: File,
    len: usize,
}

impl HasLen for PlainFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for PlainFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let end = range.end.min(self.len);
        let mut buffer = vec![0; end.saturating_sub(range.start)];
        read_exact_at(&self.file, &mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            read => {
                buffer = &mut buffer[read..];
                offset += read as u64;
            }
        }
    }
    Ok(())
}

impl Directory for PlainStoreDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if path
            .extension()
            .is_none_or(|extension| extension != "store")
        {
            return self.mapped.get_file_handle(path);
        }
        let full = self.root.join(path);
        let open = || -> io::Result<PlainFile> {
            let file = File::open(&full)?;
            let len = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
            Ok(PlainFile { file, len })
        };
        match open() {
            Ok(file) => Ok(Arc::new(file)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                Err(OpenReadError::FileDoesNotExist(path.to_path_buf()))
            }
            Err(err) => Err(OpenReadError::wrap_io_error(err, path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_files_are_read_in_place_and_ranges_are_clamped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.store"), b"0123456789").unwrap();
        let directory = PlainStoreDirectory::open(dir.path()).unwrap();
        let handle = directory.get_file_handle(Path::new("a.store")).unwrap();
        assert_eq!(handle.len(), 10);
        assert_eq!(handle.read_bytes(2..5).unwrap().as_slice(), b"234");
        assert_eq!(handle.read_bytes(8..20).unwrap().as_slice(), b"89");
        assert!(handle.read_bytes(4..4).unwrap().as_slice().is_empty());
        assert!(matches!(
            directory.get_file_handle(Path::new("missing.store")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}
