#!/usr/bin/python3
"""Writes a small diffusion-weighted MR series as DICOM files, made by us for the tests (pydicom).

usage: make_dwi_dicom.py OUT_DIR [--adc]

Two volumes of 4 axial slices (16 x 16 pixels of 2 mm, slices 5 mm apart) in one series, b = 0 then b = 1000 in
(0018,9087) Diffusion b-value, as a scanner stores a trace-weighted series: the b = 0 images are 400 with a 4 x 4
square of 300 on each slice, the b = 1000 images 100 with the square at 250 (an infarct, bright on diffusion).
With --adc, the scanner's ADC map of it instead: one volume, ImageType DERIVED\\PRIMARY\\DIFFUSION\\ADC, no
b-value, 800 with the square at 400 (the infarct, dark on the ADC map).
"""
import sys

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage, generate_uid


def main(out_dir, adc):
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    number = 0
    volumes = ((None, (800, 400)),) if adc else ((0, (400, 300)), (1000, (100, 250)))
    for b_value, (background, square) in volumes:
        for k in range(4):
            number += 1
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID = MRImageStorage
            meta.MediaStorageSOPInstanceUID = generate_uid()
            meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds = Dataset()
            ds.file_meta = meta
            ds.preamble = b"\0" * 128
            ds.SOPClassUID = MRImageStorage
            ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
            ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
            ds.Modality, ds.Manufacturer = "MR", "SIEMENS"
            ds.SeriesNumber, ds.SeriesDescription = (8, "ep2d_diff_trace_ADC") if adc else (7, "ep2d_diff_trace")
            ds.InstanceNumber, ds.AcquisitionNumber = number, 1
            ds.PatientName, ds.PatientID, ds.PatientPosition = "Test^Diffusion", "dwi", "HFS"
            ds.StudyDate, ds.SeriesTime, ds.AcquisitionTime = "20260101", "120000", "120000"
            ds.ImagePositionPatient = [-16.0, -16.0, 5.0 * k]
            ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
            ds.PixelSpacing, ds.SliceThickness, ds.SpacingBetweenSlices = [2, 2], 5, 5
            ds.ScanningSequence, ds.SequenceVariant, ds.MRAcquisitionType = "EP", "SK", "2D"
            ds.ImageType = ["DERIVED", "PRIMARY", "DIFFUSION", "ADC"] if adc else ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"]
            if b_value is not None:
                ds.DiffusionBValue = float(b_value)
            ds.Rows = ds.Columns = 16
            ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
            image = np.full((16, 16), background, np.uint16)
            image[4:8, 4:8] = square
            ds.PixelData = image.tobytes()
            ds.save_as(f"{out_dir}/IM{number:04d}.dcm", write_like_original=False)


if __name__ == "__main__":
    main(sys.argv[1], "--adc" in sys.argv[2:])
