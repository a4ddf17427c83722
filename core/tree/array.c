/* dp_array_reserve (dp_common.h): the growable-array step every part of
 * docpipe shares, so that the doubling and its overflow checks are written
 * once. */
#include <docpipe/dp_common.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

DP_EXPORT int dp_array_reserve(void *array_ptr, size_t *cap, size_t need, size_t elem_size)
{
    void *array;
    size_t ncap;
    if (!array_ptr || !cap || elem_size == 0)
        return DP_EINVAL;
    if (need <= *cap)
        return DP_OK;
    ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return DP_ENOMEM;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem_size)
        return DP_ENOMEM;
    /* The caller's pointer is read and written as bytes: array_ptr points to
     * a T*, whatever T is. */
    memcpy(&array, array_ptr, sizeof array);
    array = realloc(array, ncap * elem_size);
    if (!array)
        return DP_ENOMEM;
    memcpy(array_ptr, &array, sizeof array);
    *cap = ncap;
    return DP_OK;
}
