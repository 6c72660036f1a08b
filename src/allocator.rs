//! The process's allocator: the C library's for short commands, mimalloc for the long ones.
//!
//! Ingest hands documents from the threads that prepare them to tantivy's indexing threads,
//! which free them; the C library's allocator is slow at such cross-thread frees, mimalloc is
//! not. But mimalloc gives each size of block a page of its own, so a short command touches
//! many fresh pages: a search took about 90 more page faults (a tenth of a millisecond or
//! more of its 4 ms) under mimalloc than under the C library's allocator.
//!
//! So the allocator starts as the C library's, and `use_mimalloc` switches it to mimalloc for
//! the rest of the process. A block is freed by the allocator that made it: the C library's
//! blocks all lie between the lowest and highest address it returned before the switch (a
//! block it held is moved to mimalloc when it is resized after the switch), and mimalloc tells
//! its own blocks in that range from its segment map (`mi_is_in_heap_region`). Asking mimalloc
//! about every block instead cost an ingest 2% more instructions (1% this way).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use mimalloc::MiMalloc;

static MIMALLOC: AtomicBool = AtomicBool::new(false);
/// The lowest address, and the end of the highest block, the C library's allocator returned.
static LOW: AtomicUsize = AtomicUsize::new(usize::MAX);
static HIGH: AtomicUsize = AtomicUsize::new(0);

/// The global allocator (see the module's documentation).
pub struct Allocator;

/// Notes a block of the C library's allocator.
fn note_system(ptr: *mut u8, size: usize) -> *mut u8 {
    let at = ptr as usize;
    // The plain loads first: most blocks lie inside the range already.
    if !ptr.is_null() {
        if at < LOW.load(Ordering::Relaxed) {
            LOW.fetch_min(at, Ordering::Relaxed);
        }
        if at + size > HIGH.load(Ordering::Relaxed) {
            HIGH.fetch_max(at + size, Ordering::Relaxed);
        }
    }
    ptr
}

/// True when `ptr`, freed after the switch, is a block of the C library's allocator.
fn system_block(ptr: *mut u8) -> bool {
    let at = ptr as usize;
    at >= LOW.load(Ordering::Relaxed) && at < HIGH.load(Ordering::Relaxed) && !mimallocs(ptr)
}

/// True when `ptr` is a block of mimalloc's.
fn mimallocs(ptr: *mut u8) -> bool {
    // SAFETY: only reads mimalloc's segment map; any pointer may be asked about.
    unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: every call goes to one of two sound allocators, and each block is freed or resized
// by the one that allocated it.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc(layout) }
        } else {
            note_system(unsafe { System.alloc(layout) }, layout.size())
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            note_system(unsafe { System.alloc_zeroed(layout) }, layout.size())
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if MIMALLOC.load(Ordering::Relaxed) && !system_block(ptr) {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !MIMALLOC.load(Ordering::Relaxed) {
            return note_system(unsafe { System.realloc(ptr, layout, new_size) }, new_size);
        }
        if !system_block(ptr) {
            return unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        }
        // A block of the C library's, resized after the switch: it moves to mimalloc, so that
        // the C library's blocks stay where they were noted.
        // SAFETY: `new_size` with the block's alignment is a valid layout (`realloc`'s contract).
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let moved = unsafe { MiMalloc.alloc(new_layout) };
        if !moved.is_null() {
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                System.dealloc(ptr, layout);
            }
        }
        moved
    }
}

/// mimalloc's `mi_option_purge_delay` (the `mi_option_e` enum of mimalloc 2's `mimalloc.h`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Allocates from mimalloc from now on, and has it give freed memory back to the system at
/// once rather than 10 ms later: an ingest frees and allocates large amounts without pause,
/// and the delay alone added a tenth to its peak memory.
pub fn use_mimalloc() {
    // SAFETY: sets a plain integer option; mimalloc allows it at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    MIMALLOC.store(true, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test, as the switch is for the whole process.
    #[test]
    fn switch_keeps_blocks_with_their_allocator_and_sets_the_purge_delay() {
        // The option number is mimalloc's own, not exported by its bindings: the default of
        // the option it names must be mimalloc's purge delay, 10 ms.
        // SAFETY: reads a plain integer option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(delay, 10);
        }
        let a = Allocator;
        let small = Layout::from_size_align(100, 8).unwrap();
        let large = Layout::from_size_align(5000, 8).unwrap();
        // SAFETY: each block is written within its layout and freed once, by `Allocator`.
        unsafe {
            let before = a.alloc(small);
            before.write_bytes(7, 100);
            assert!(system_block(before));
            use_mimalloc();
            let after = a.alloc(small);
            assert!(mimallocs(after) && !system_block(after));
            // A block of the C library's, grown after the switch, moves to mimalloc whole.
            let grown = a.realloc(before, small, 5000);
            assert!(mimallocs(grown));
            assert_eq!(*grown.add(99), 7);
            a.dealloc(grown, large);
            a.dealloc(after, small);
        }
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            0
        );
    }
}
