import { useEffect, useRef } from 'react'
import { ClinicalReportView } from './components/ClinicalReportView'
import { CorrectionTools } from './components/CorrectionTools'
import { CrosshairReadoutView } from './components/CrosshairReadoutView'
import { DraftOffer } from './components/DraftOffer'
import { PendingOpen } from './components/PendingOpen'
import { DropTarget } from './components/DropTarget'
import { FileInputs } from './components/FileInputs'
import { KeyboardHelp } from './components/KeyboardHelp'
import { MaskControls } from './components/MaskControls'
import { OfflineStatus } from './components/OfflineStatus'
import { ReferenceMask } from './components/ReferenceMask'
import { SegmentPanel } from './components/SegmentPanel'
import { SeriesPicker } from './components/SeriesPicker'
import { StatusLine } from './components/StatusLine'
import { ViewControls } from './components/ViewControls'
import { VolumeInfo } from './components/VolumeInfo'
import { WindowControls } from './components/WindowControls'
import { exposeAutomation } from './automation'
import { useOfflineApp } from './hooks/useOfflineApp'
import { useReading } from './hooks/useReading'
import { useReport } from './hooks/useReport'
import { useScanSession } from './hooks/useScanSession'
import { useScanViewer } from './hooks/useScanViewer'
import { useSegmentation } from './hooks/useSegmentation'

export function App() {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const viewer = useScanViewer(canvasRef)
  const session = useScanSession(viewer)
  const segmentation = useSegmentation(session)
  const reading = useReading(viewer, session)
  const reports = useReport(session, reading.display)
  const offline = useOfflineApp()
  const { state } = session

  // window.strokeSeg for the end-to-end tests and development: a production build has none (its code is left out).
  const openNow = useRef({ session, segmentation })
  useEffect(() => {
    openNow.current = { session, segmentation }
  })
  useEffect(() => (import.meta.env.MODE === 'production' ? undefined : exposeAutomation(() => openNow.current)), [])

  return (
    <>
      <div className="app" data-viewer-ready={viewer ? '1' : '0'} data-draft-looked-up={state.draftLookedUp ? '1' : '0'}>
        <header className="app__header">
          <h1>StrokeSeg</h1>
          <FileInputs
            onScanFiles={(files) => void session.openScan(files)}
            onMaskFiles={(files) => void session.openMask(files)}
            onReferenceFiles={(files) => void session.openReferenceMask(files)}
            canLoadMask={state.scan !== null}
          />
          <OfflineStatus app={offline} />
        </header>
        <main className="app__main">
          <aside className="app__side">
            <VolumeInfo scan={state.scan} />
            {state.pendingOpen && <PendingOpen files={state.pendingOpen} mask={state.mask} onChoose={(choice) => void session.resolvePendingOpen(choice)} />}
            {state.choices && <SeriesPicker labels={state.choices} onChoose={(i) => void session.chooseScan(i)} />}
            <ViewControls
              layout={state.layout}
              onLayout={session.setLayout}
              display={reading.display}
              onDisplay={reading.setDisplay}
              onZoom={reading.zoom}
              onHelp={() => reading.setHelpOpen(!reading.helpOpen)}
            />
            {state.scan && <WindowControls modality={state.scan.modality} window={state.window} onWindow={session.setWindow} />}
            <SegmentPanel
              state={segmentation.state}
              hasScan={state.scan !== null}
              scanModality={state.scan?.likelyModality ?? null}
              corrections={state.mask?.edits ?? 0}
              onSegment={() => void segmentation.segment()}
              onCancel={segmentation.cancel}
              onPickModel={segmentation.pickModel}
              onPickBackend={segmentation.pickBackend}
              onOwnModel={segmentation.loadOwnModel}
            />
            {state.draft && <DraftOffer draft={state.draft} onRestore={() => void session.restoreDraft()} onDiscard={() => void session.discardDraft()} />}
            <MaskControls
              mask={state.mask}
              reference={state.reference}
              listed={state.listedMask}
              onListed={session.setListedMask}
              hasScan={state.scan !== null}
              unit={state.scan?.modality === 'CT' ? 'HU' : ''}
              opacity={state.maskOpacity}
              visible={state.maskVisible}
              onOpacity={session.setMaskOpacity}
              onVisible={session.setMaskVisible}
              onGoTo={session.goToVoxel}
              onExport={session.exportMask}
              onSnapshot={() => void session.exportSnapshot()}
              onReport={reports.open}
              onSaveCsv={reports.saveCsv}
              canExportDicomSeg={state.scan?.fromDicom ?? false}
              onExportDicomSeg={() => void session.exportDicomSeg()}
            />
            <ReferenceMask
              reference={state.reference}
              maskLabel={state.mask?.label ?? null}
              opacity={state.referenceOpacity}
              visible={state.referenceVisible}
              onOpacity={session.setReferenceOpacity}
              onVisible={session.setReferenceVisible}
              onRemove={session.removeReferenceMask}
            />
            <CorrectionTools
              hasScan={state.scan !== null}
              mask={state.mask}
              tool={state.tool}
              penSize={state.penSize}
              onTool={session.setTool}
              onPenSize={session.setPenSize}
              onUndo={session.undoEdit}
              measurements={reading.measurements}
              onClearMeasurements={reading.clearMeasurements}
            />
          </aside>
          <section className="app__viewer">
            <DropTarget onFiles={(files) => void session.openScan(files)} empty={state.scan === null}>
              <div className="canvas-box">
                <canvas ref={canvasRef} data-testid="viewer-canvas" />
              </div>
            </DropTarget>
            <CrosshairReadoutView readout={state.readout} unit={state.scan?.modality === 'CT' ? 'HU' : ''} />
          </section>
        </main>
        {reading.helpOpen && <KeyboardHelp onClose={() => reading.setHelpOpen(false)} />}
        <footer className="app__footer">
          <StatusLine status={state.status} />
        </footer>
      </div>
      {reports.report && <ClinicalReportView report={reports.report} onSaveCsv={reports.saveCsv} onClose={reports.close} />}
    </>
  )
}
