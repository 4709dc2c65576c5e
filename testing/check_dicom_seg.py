#!/usr/bin/python3
"""Checks a DICOM SEG written by StrokeSeg with an independent reader (pydicom, numpy, nibabel).

usage: check_dicom_seg.py SEG SOURCE_SERIES_DIR MASK_NIFTI

SEG: the exported Segmentation object; SOURCE_SERIES_DIR: the DICOM images it was made on; MASK_NIFTI: the same
mask saved by StrokeSeg as NIfTI (on the grid dcm2niix made of the series). Checks the SOP class, the references
(study, series, frame of reference, every frame's source image) and that the decoded frames hold exactly the mask's
voxels. Prints a JSON summary; exits 1 with the first problem found.
"""
import json
import os
import sys

import nibabel
import numpy as np
import pydicom

SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4"


def fail(message):
    print(json.dumps({"ok": False, "problem": message}))
    sys.exit(1)


def unit(v):
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def main(seg_path, source_dir, mask_path):
    seg = pydicom.dcmread(seg_path)
    if seg.SOPClassUID != SEGMENTATION_STORAGE:
        fail(f"SOP class {seg.SOPClassUID} is not Segmentation Storage")
    if seg.Modality != "SEG" or seg.SegmentationType != "BINARY":
        fail(f"modality {seg.Modality}, segmentation type {seg.SegmentationType}")

    sources = [pydicom.dcmread(os.path.join(source_dir, name), stop_before_pixels=True) for name in sorted(os.listdir(source_dir))]
    first = sources[0]
    for attribute in ("StudyInstanceUID", "FrameOfReferenceUID"):
        if getattr(seg, attribute) != getattr(first, attribute):
            fail(f"{attribute} {getattr(seg, attribute)} is not the source's {getattr(first, attribute)}")
    referenced = seg.ReferencedSeriesSequence[0]
    if referenced.SeriesInstanceUID != first.SeriesInstanceUID:
        fail("ReferencedSeriesSequence names another series")
    if {item.ReferencedSOPInstanceUID for item in referenced.ReferencedInstanceSequence} != {s.SOPInstanceUID for s in sources}:
        fail("ReferencedInstanceSequence is not the series' images")

    # The source images along the slice normal, and where the NIfTI grid has them.
    orientation = np.asarray(first.ImageOrientationPatient, dtype=float)
    row_direction, column_direction = orientation[:3], orientation[3:]
    normal = np.cross(row_direction, column_direction)
    ordered = sorted(sources, key=lambda s: float(np.dot(np.asarray(s.ImagePositionPatient, dtype=float), normal)))
    image = nibabel.load(mask_path)
    mask = np.asarray(image.dataobj) > 0
    axes = [unit(image.affine[:3, a]) for a in range(3)]
    to_ras = np.array([-1.0, -1.0, 1.0])

    def axis_of(direction):
        cosines = [float(np.dot(a, unit(direction * to_ras))) for a in axes]
        best = int(np.argmax(np.abs(cosines)))
        if abs(cosines[best]) < 0.99:
            fail("the mask's grid does not follow the images' planes")
        return best, cosines[best] < 0

    column_axis, columns_reversed = axis_of(row_direction)
    row_axis, rows_reversed = axis_of(column_direction)
    slice_axis = 3 - column_axis - row_axis
    ascending = float(np.dot(axes[slice_axis], unit(normal * to_ras))) > 0
    # The mask as the series' frames: [image, row, column].
    frames_of_mask = np.transpose(mask, (slice_axis, row_axis, column_axis))
    if rows_reversed:
        frames_of_mask = frames_of_mask[:, ::-1, :]
    if columns_reversed:
        frames_of_mask = frames_of_mask[:, :, ::-1]
    if not ascending:
        frames_of_mask = frames_of_mask[::-1]

    pixels = seg.pixel_array
    if pixels.ndim == 2:
        pixels = pixels[np.newaxis]
    if pixels.shape[0] != int(seg.NumberOfFrames):
        fail(f"{pixels.shape[0]} frames decoded, NumberOfFrames {seg.NumberOfFrames}")
    index_of = {s.SOPInstanceUID: i for i, s in enumerate(ordered)}
    framed = set()
    for f, frame in enumerate(seg.PerFrameFunctionalGroupsSequence):
        uid = frame.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        if uid not in index_of:
            fail(f"frame {f + 1} refers to {uid}, not an image of the series")
        s = index_of[uid]
        if not np.array_equal(pixels[f] != 0, frames_of_mask[s]):
            fail(f"frame {f + 1} ({uid}) differs from the mask in {int(np.sum((pixels[f] != 0) != frames_of_mask[s]))} pixels")
        framed.add(s)
    with_lesion = {s for s in range(frames_of_mask.shape[0]) if frames_of_mask[s].any()}
    if framed != with_lesion:
        fail(f"frames for images {sorted(framed)}, lesion on images {sorted(with_lesion)}")
    print(json.dumps({
        "ok": True,
        "sop_class": seg.SOPClassUID,
        "frames": int(seg.NumberOfFrames),
        "referenced_series": referenced.SeriesInstanceUID,
        "referenced_images": len(referenced.ReferencedInstanceSequence),
        "lesion_pixels": int(sum(int((p != 0).sum()) for p in pixels)),
        "mask_voxels": int(mask.sum()),
        "algorithm": str(seg.SegmentSequence[0].SegmentAlgorithmType),
    }))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
