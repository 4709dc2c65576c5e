#!/usr/bin/env python3
"""Brings a real T1 head that is not in MNI space onto the generator's grid A (tissueLabels.ts): an affine
registration to Colin27 and a brain mask, written beside this script as NAME.json and NAME-brain.nii.gz.

Run once per head; its outputs are committed (the loader needs no Python). Needs numpy, nibabel, scipy.
  python3 src/training/synth/heads/derive_head.py --t1 real/mri_t1/chris_t1.nii.gz --name chris-t1

How:
- registration: a 12-parameter affine (translation, rotation, log-scale, shear) from grid-A world coordinates to
  the T1's world coordinates, found by Powell's method on the negative correlation between Colin27's T1 (with
  skull) and the T1 sampled through the affine, over Colin27's head, at 4 mm and then 2 mm (both smoothed to the
  grid spacing). It starts at the identity: the T1's own sform must be roughly MNI (AC near the origin).
- brain mask: Colin27's brain mask (ch2bet) carried over by the affine, grown by up to 2 mm into the T1's own
  tissue (brighter than the CSF/grey-matter boundary of a 3-class mixture inside the mask, darker than white
  matter's mean + 3 sd, so not into scalp fat), then its largest connected part. The labels themselves are made
  from the T1 and this mask by tissueLabels.ts, as for every other head.
"""
import argparse
import json
import os

import nibabel as nib
import numpy as np
from scipy.ndimage import binary_dilation, gaussian_filter, label, map_coordinates
from scipy.optimize import minimize

GRID_A_DIMS = (181, 217, 181)
GRID_A_AFFINE = np.array([[1, 0, 0, -90], [0, 1, 0, -125], [0, 0, 1, -71], [0, 0, 0, 1]], dtype=np.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SHARED_DATA = os.path.normpath(os.path.join(HERE, '../../../../../shared/data'))


def affine_from_parameters(p):
    """p: translation (mm), rotation (rad), log-scale, shear; 12 numbers -> 4x4."""
    cx, cy, cz = np.cos(p[3:6])
    sx, sy, sz = np.sin(p[3:6])
    rotation = (np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]]) @ np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
                @ np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]]))
    shear = np.array([[1, p[9], p[10]], [0, 1, p[11]], [0, 0, 1]])
    m = np.eye(4)
    m[:3, :3] = rotation @ shear @ np.diag(np.exp(p[6:9]))
    m[:3, 3] = p[0:3]
    return m


def grid_a_world(step):
    """World coordinates (4, N) of grid A's voxels every `step` mm, and their index grids."""
    ijk = np.meshgrid(*(np.arange(0, n, step) for n in GRID_A_DIMS), indexing='ij')
    ones = np.ones_like(ijk[0])
    return (GRID_A_AFFINE @ np.stack([*ijk, ones]).reshape(4, -1).astype(np.float64)), ijk


def register(t1, t1_affine, reference):
    """The affine from grid-A world to the T1's world that best correlates the T1 with the reference."""
    voxel_from_world = np.linalg.inv(t1_affine)
    p = np.zeros(12)
    for step in (4, 2):
        world, ijk = grid_a_world(step)
        fixed = gaussian_filter(reference, step / 2)[tuple(ijk)].ravel()
        head = binary_dilation((fixed > 0.1 * fixed.max()).reshape(ijk[0].shape), iterations=2).ravel()
        fixed, world = fixed[head] - fixed[head].mean(), world[:, head]
        moving = gaussian_filter(t1, step / 2 / abs(np.linalg.det(t1_affine[:3, :3])) ** (1 / 3))

        def negative_correlation(q):
            sampled = map_coordinates(moving, (voxel_from_world @ affine_from_parameters(q) @ world)[:3], order=1)
            sampled -= sampled.mean()
            return -(fixed * sampled).sum() / np.sqrt((fixed * fixed).sum() * (sampled * sampled).sum() + 1e-12)

        result = minimize(negative_correlation, p, method='Powell', options={'xtol': 1e-3, 'ftol': 1e-5, 'maxfev': 4000})
        p = result.x
        print(f'{step} mm: correlation {-result.fun:.4f} after {result.nfev} evaluations')
    return affine_from_parameters(p), -result.fun


def brain_mask(t1_on_a, reference_brain):
    inside = t1_on_a[reference_brain].astype(np.float64)[::5]
    means = np.percentile(inside, [10, 50, 90])
    sds, weights = np.full(3, inside.std() / 3), np.full(3, 1 / 3)
    for _ in range(40):
        p = weights / sds * np.exp(-0.5 * ((inside[:, None] - means) / sds) ** 2)
        p /= p.sum(1, keepdims=True) + 1e-12
        n = p.sum(0)
        means = (p * inside[:, None]).sum(0) / n
        sds = np.sqrt((p * (inside[:, None] - means) ** 2).sum(0) / n)
        weights = n / n.sum()
    csf_grey, brightest = (means[0] + means[1]) / 2, means[2] + 3 * sds[2]
    tissue = (t1_on_a > csf_grey) & (t1_on_a < brightest)
    shell = binary_dilation(reference_brain, iterations=2) & ~reference_brain
    brain = reference_brain.copy()
    for _ in range(2):
        brain |= binary_dilation(brain) & shell & tissue
    parts, _ = label(brain)
    sizes = np.bincount(parts.ravel())
    sizes[0] = 0
    return parts == sizes.argmax()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--t1', required=True, help='the T1 with skull, relative to --shared-data')
    parser.add_argument('--name', required=True, help='the head name: the outputs are NAME.json and NAME-brain.nii.gz')
    parser.add_argument('--shared-data', default=DEFAULT_SHARED_DATA)
    parser.add_argument('--reference', default='anatomy/ch2.nii.gz')
    parser.add_argument('--reference-brain', default='anatomy/ch2bet.nii.gz')
    o = parser.parse_args()
    t1_image = nib.load(os.path.join(o.shared_data, o.t1))
    t1 = np.asarray(t1_image.dataobj, dtype=np.float32)
    reference = np.asarray(nib.load(os.path.join(o.shared_data, o.reference)).dataobj, dtype=np.float32)
    reference_brain = np.asarray(nib.load(os.path.join(o.shared_data, o.reference_brain)).dataobj) > 0
    assert reference.shape == GRID_A_DIMS and reference_brain.shape == GRID_A_DIMS, 'the reference must be on grid A'
    t1_world_from_mni, correlation = register(t1, t1_image.affine, reference)
    world, ijk = grid_a_world(1)
    t1_on_a = map_coordinates(t1, (np.linalg.inv(t1_image.affine) @ t1_world_from_mni @ world)[:3], order=1).reshape(ijk[0].shape)
    brain = brain_mask(t1_on_a, reference_brain)
    print(f'brain mask: {brain.sum() / 1000:.0f} mL (the reference\'s: {reference_brain.sum() / 1000:.0f} mL)')
    nib.save(nib.Nifti1Image(brain.astype(np.uint8), GRID_A_AFFINE), os.path.join(HERE, f'{o.name}-brain.nii.gz'))
    with open(os.path.join(HERE, f'{o.name}.json'), 'w') as f:
        json.dump({'t1': o.t1, 'reference': o.reference, 'referenceBrain': o.reference_brain, 'correlation': round(correlation, 4),
                   't1WorldFromMni': [[round(v, 6) for v in row] for row in t1_world_from_mni.tolist()]}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
