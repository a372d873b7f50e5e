"""A software prefetch for Numba kernels whose loads are random (hash tables, gathers).

A lookup into a table bigger than the caches waits ~100 ns for memory; asking for the line of a
lookup some iterations ahead lets those waits overlap. ``prefetch(a, i)`` is LLVM's
``llvm.prefetch`` on the address of ``a[i]`` (read, keep in all cache levels): a hint, with no
effect on results, and no fault when the index is out of bounds (nothing is read).
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["prefetch"]


@intrinsic
def prefetch(typingctx, arr, index):
    """Hint that ``arr[index]`` (1-d array, integer index) is read soon."""
    if not isinstance(arr, types.Array) or arr.ndim != 1 or not isinstance(index, types.Integer):
        return None
    sig = types.void(arr, index)

    def codegen(context, builder, signature, args):
        aryty, idxty = signature.args
        ary = context.make_array(aryty)(context, builder, args[0])
        idx = context.cast(builder, args[1], idxty, types.intp)
        ptr = builder.gep(ary.data, [idx])  # no bounds check: a prefetch never faults
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen
